import { expect } from 'chai';
import { Lifecycle, Part } from '../../../src/compose/lifecycle';
import { silentLogger } from '../../../src/core/log';

function recorder() {
  const log: string[] = [];
  const part = (name: string, opts: { failStart?: boolean; failStop?: boolean; held?: boolean } = {}): Part => ({
    name,
    ...(opts.held
      ? {}
      : {
          start: async () => {
            if (opts.failStart) throw new Error(`${name} cannot start`);
            log.push(`start ${name}`);
          },
        }),
    stop: async () => {
      log.push(`stop ${name}`);
      if (opts.failStop) throw new Error(`${name} cannot stop`);
    },
  });
  return { log, part };
}

describe('Lifecycle', () => {
  it('starts the parts in order and stops them in reverse', async () => {
    const { log, part } = recorder();
    const life = new Lifecycle([part('db', { held: true }), part('engine'), part('server')], silentLogger());
    await life.start();
    await life.stop();
    expect(log).to.deep.equal(['start engine', 'start server', 'stop server', 'stop engine', 'stop db']);
  });

  it('a failing start stops what was started before it and rethrows; stop() then releases what is held, once', async () => {
    const { log, part } = recorder();
    const life = new Lifecycle(
      [part('db', { held: true }), part('engine'), part('server', { failStart: true }), part('peer')],
      silentLogger(),
    );
    let err: unknown = null;
    await life.start().catch((e: unknown) => (err = e));
    expect((err as Error).message).to.equal('server cannot start');
    expect(log).to.deep.equal(['start engine', 'stop engine']);
    await life.stop();
    await life.stop();
    expect(log).to.deep.equal(['start engine', 'stop engine', 'stop db']);
  });

  it('keeps stopping after a part fails to stop, then reports that failure', async () => {
    const { log, part } = recorder();
    const life = new Lifecycle([part('db', { held: true }), part('engine', { failStop: true }), part('server')], silentLogger());
    await life.start();
    let err: unknown = null;
    await life.stop().catch((e: unknown) => (err = e));
    expect((err as Error).message).to.equal('engine cannot stop');
    expect(log.slice(2)).to.deep.equal(['stop server', 'stop engine', 'stop db']);
  });

  it('a stop before any start releases only what the build holds', async () => {
    const { log, part } = recorder();
    await new Lifecycle([part('db', { held: true }), part('engine')], silentLogger()).stop();
    expect(log).to.deep.equal(['stop db']);
  });
});
