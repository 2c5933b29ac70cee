/** A single instance never logs about "another instance". */
import { expect } from 'chai';
import { Writable } from 'node:stream';
import { createLogger } from '../../../src/core/log';
import { HeartbeatLeader, HeartbeatWatcher } from '../../../src/cluster/heartbeat-leader';
import type { Heartbeat } from '../../../src/watchers/heartbeats/model';
import { FakeClock } from '../../fakes/clock';

/** The first list (at start) has no deadline; a ping then sets one the leader has not armed. */
function watcherWithLateDeadline(): HeartbeatWatcher & { set(d: number): void } {
  let due: number | null = null;
  const hb = () => ({ name: 'backup', state: 'up', dueAt: due }) as unknown as Heartbeat;
  return {
    start: async () => undefined,
    stop: async () => undefined,
    list: async () => [hb()],
    enable: async () => hb(),
    set: (d) => void (due = d),
  };
}

async function lines(clustered: boolean | undefined): Promise<string> {
  let text = '';
  const logger = createLogger({ destination: new Writable({ write: (c, _e, cb) => ((text += c.toString()), cb()) }) });
  const w = watcherWithLateDeadline();
  const leader = new HeartbeatLeader(w, {
    clock: new FakeClock(0),
    logger,
    rescanMs: 60_000,
    ...(clustered === undefined ? {} : { clustered }),
  });
  await leader.start();
  w.set(5_000);
  await leader.rescan();
  await leader.stop();
  return text;
}

describe('heartbeat leader log wording', () => {
  it('speaks of another instance only when clustered', async () => {
    const single = await lines(undefined);
    expect(single).to.include('timer armed').and.not.include('another instance');
    expect(await lines(false)).to.not.include('another instance');
    expect(await lines(true)).to.include('deadline set on another instance');
  });
});
