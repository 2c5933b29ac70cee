/** `dozvon serve`: build the app, start it, stop cleanly on SIGTERM/SIGINT. */
import type { Config } from '../config';
import { buildApp } from '../app';
import { EXIT } from './output';

export async function serve(config: Config): Promise<number> {
  const app = buildApp(config);
  try {
    await app.start();
  } catch (e) {
    app.logger.fatal({ err: (e as Error).message }, 'dozvon could not start');
    await app.stop().catch((err: unknown) => app.logger.error({ err: String(err) }, 'stop after failed start'));
    return EXIT.failure;
  }
  return new Promise<number>((resolve) => {
    let stopping = false;
    const stop = (signal: string) => {
      if (stopping) return;
      stopping = true;
      app.logger.info({ signal }, 'stopping');
      app.stop().then(
        () => resolve(EXIT.ok),
        (err: unknown) => {
          app.logger.error({ err: String(err) }, 'unclean stop');
          resolve(EXIT.failure);
        },
      );
    };
    process.once('SIGTERM', () => stop('SIGTERM'));
    process.once('SIGINT', () => stop('SIGINT'));
  });
}
