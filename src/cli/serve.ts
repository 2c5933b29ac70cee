/** `dozvon serve`: build the app, start it, stop cleanly on SIGTERM/SIGINT. */
import type { Config } from '../config';
import { buildApp } from '../app';
import { EXIT } from './output';

/**
 * A public URL nobody can reach: Asterisk's media fetches, OnCall and ack links would all fail.
 * `docker run` without DOZVON_PUBLIC_URL gets http://0.0.0.0:8080/ from DOZVON_LISTEN.
 */
export function publicUrlWarning(config: Pick<Config, 'publicUrl'>): string | null {
  const host = new URL(config.publicUrl).hostname;
  if (host !== '0.0.0.0' && host !== '[::]') return null;
  return `DOZVON_PUBLIC_URL is ${config.publicUrl}: ${host} is where dozvon listens, not an address anyone can reach; Asterisk cannot fetch speech and OnCall cannot reach dozvon. Set DOZVON_PUBLIC_URL to the URL others use (e.g. http://dozvon:8080/ in compose)`;
}

export async function serve(config: Config): Promise<number> {
  const app = buildApp(config);
  const warning = publicUrlWarning(config);
  if (warning) app.logger.warn({ publicUrl: config.publicUrl }, warning);
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
