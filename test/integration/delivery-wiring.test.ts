/** Where acknowledgements come from: the voice engine's finished pages and the acknowledge link. */
import { expect } from 'chai';
import { makeTestDb, TestDb } from '../helpers/db';
import { voiceObserver } from '../../src/compose/observe';
import { ackHandlers } from '../../src/compose/ack';
import { Metrics } from '../../src/metrics';
import { NotificationsRepo } from '../../src/db/notifications-repo';
import { UsersRepo } from '../../src/directory/users-repo';
import type { OnCallActions } from '../../src/oncall/actions';
import type { AckVia } from '../../src/delivery';

describe('delivery wiring: what tells the recorder a page was acknowledged', () => {
  let t: TestDb;
  let metrics: Metrics;
  const seen: [number, AckVia][] = [];
  const recorder = { acked: async (id: number, via: AckVia) => void seen.push([id, via]) };
  beforeEach(async () => {
    t = await makeTestDb();
    metrics = new Metrics();
    seen.length = 0;
  });
  afterEach(async () => {
    metrics.stop();
    await t.close();
  });

  it('a call ended by a digit is a digit acknowledgement; settled in OnCall is an OnCall one; other outcomes are not', () => {
    const observe = voiceObserver(metrics, () => 0, recorder);
    observe({ type: 'page-finished', notificationId: 1, kind: 'call', state: 'delivered', outcome: 'digit' });
    observe({ type: 'page-finished', notificationId: 2, kind: 'call', state: 'cancelled', outcome: 'settled-elsewhere' });
    observe({ type: 'page-finished', notificationId: 3, kind: 'call', state: 'failed', outcome: 'not-delivered' });
    expect(seen).to.deep.equal([
      [1, 'digit'],
      [2, 'oncall'],
    ]);
  });

  it('the acknowledge link reports its page when OnCall took the acknowledgement or had it already, not when it failed', async () => {
    const repo = new NotificationsRepo(t.db);
    const users = new UsersRepo(t.db);
    const id = (
      await repo.enqueue({ kind: 'sms', source: 'oncall-cloud', userId: null, email: 'a@x.io', message: 'm', alertGroupId: 'IG1' })
    ).notification.id;
    let status: 'done' | 'already' | 'failed' = 'done';
    const actions = {
      acknowledge: async () => ({ status, spoken: { en: status, ru: status } }),
    } as unknown as OnCallActions;
    const h = ackHandlers(repo, users, actions, null, (n) => recorder.acked(n, 'link'));
    const req = { alertGroupId: 'IG1', notificationId: String(id), email: 'a@x.io', via: 'link' as const };
    await h.acknowledge(req);
    status = 'already';
    await h.acknowledge(req);
    status = 'failed';
    await h.acknowledge(req);
    expect(seen).to.deep.equal([
      [id, 'link'],
      [id, 'link'],
    ]);
  });
});
