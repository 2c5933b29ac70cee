/**
 * Three dozvon processes on one PostgreSQL and one fake Asterisk: a storm of make_call
 * requests spread over them, kill -9 of an instance in the middle of its calls, and then
 * the ledger: every page delivered exactly once or recorded as failed, nobody rung twice at
 * the same time, and the interrupted calls recorded and finished by a surviving instance.
 */
import { expect } from 'chai';
import { requirePg } from '../../helpers/pg';
import { startCluster, until, HaCluster } from './cluster';

const USERS = Array.from({ length: 8 }, (_, i) => ({ email: `eng${i}@example.com`, phone: `+1555010${String(i).padStart(4, '0')}` }));

interface AttemptRow {
  notification_id: number;
  call_id: string | null;
  instance: string | null;
  started_at: string | number;
  ended_at: string | number | null;
  outcome: string | null;
  digits: string | null;
  user_id: number;
}

describe('HA: several instances on one PostgreSQL survive kill -9', function () {
  this.timeout(120_000);
  let c: HaCluster;

  before(async function () {
    await requirePg(this);
  });
  after(async () => {
    await c?.close();
  });

  it('delivers every page exactly once or records it as failed; orphaned calls are taken over', async () => {
    c = await startCluster({ instances: 3, users: USERS, timeScale: 0.2 });
    // Answer after 1 s of ringing, press 1 two seconds into the prompt (Asterisk time, ×0.2).
    for (const u of USERS) c.asterisk.phone(u.phone).willAnswerAfter(1000).willPress('1', { afterPlaybackStartMs: 2000 });

    // The storm: 3 pages per person, sent round-robin to the three instances, in parallel.
    const sends: Promise<number>[] = [];
    for (let k = 0; k < 3; k++) for (const [i, u] of USERS.entries()) sends.push(c.makeCall(c.instances[(i + k) % 3], u.email, `incident ${k} for ${u.email}`));
    const statuses = await Promise.all(sends);
    expect(statuses.every((s) => s === 200), `statuses ${statuses}`).to.equal(true);
    const total = USERS.length * 3;

    // Kill the instance with the most calls in progress once calls are really under way.
    const victim = await until(async () => {
      const open = (await c.db('attempts').whereNull('ended_at').select('instance')) as { instance: string }[];
      if (open.length < 2) return null;
      const byInstance = new Map<string, number>();
      for (const a of open) byInstance.set(a.instance, (byInstance.get(a.instance) ?? 0) + 1);
      const [id] = [...byInstance.entries()].sort((a, b) => b[1] - a[1])[0];
      return c.instances.find((i) => i.id === id) ?? null;
    }, 'calls in progress', 20_000);
    await c.kill9(victim);
    const orphaned = (await c.db('notifications').where({ state: 'active', lease_owner: victim.id }).select('id')) as { id: number }[];
    expect(orphaned.length, 'pages leased by the killed instance').to.be.greaterThan(0);

    // Nobody else touches them while the dead instance's lease runs (the default lease is 120 s).
    await new Promise((r) => setTimeout(r, 1_500));
    const still = await c.db('notifications').whereIn('id', orphaned.map((o) => o.id)).where({ state: 'active', lease_owner: victim.id }).count({ n: '*' });
    expect(Number((still[0] as { n: string }).n)).to.equal(orphaned.length);
    // Let the lease run out now instead of waiting two minutes: the same state the rows reach by themselves.
    await c.db('notifications').where({ lease_owner: victim.id, state: 'active' }).update({ lease_expires_at: Date.now() - 1 });

    await until(async () => {
      const n = await c.db('notifications').whereIn('state', ['pending', 'active']).count({ n: '*' });
      return Number((n[0] as { n: string }).n) === 0;
    }, 'every page finished', 60_000);

    const rows = (await c.db('notifications').select('id', 'state', 'user_id', 'lease_owner')) as { id: number; state: string }[];
    expect(rows).to.have.length(total);
    expect(rows.filter((r) => r.state !== 'delivered' && r.state !== 'failed'), 'only delivered or failed').to.deep.equal([]);

    const attempts = (await c.db('attempts as a').join('notifications as n', 'n.id', 'a.notification_id').select('a.*', 'n.user_id')) as AttemptRow[];
    // Delivered exactly once: one attempt with a digit per delivered page, none for a failed one.
    for (const r of rows) {
      const withDigit = attempts.filter((a) => a.notification_id === r.id && a.digits);
      expect(withDigit.length, `page ${r.id} (${r.state})`).to.equal(r.state === 'delivered' ? 1 : 0);
    }
    // Nobody is rung by two calls at once, whichever instances placed them.
    const calls = new Map<string, { user: number; from: number; to: number }>();
    for (const a of attempts) {
      if (!a.call_id) continue;
      calls.set(a.call_id, { user: a.user_id, from: Number(a.started_at), to: a.ended_at === null ? Infinity : Number(a.ended_at), inst: a.instance, outcome: a.outcome } as never);
    }
    const list = [...calls.values()];
    for (const x of list) for (const y of list) if (x !== y && x.user === y.user) expect(x.to <= y.from || y.to <= x.from, JSON.stringify([x, y]) + victim.id).to.equal(true), expect(x.to <= y.from || y.to <= x.from, 'overlapping calls to one person').to.equal(true);
    // The killed instance's calls are on record as interrupted and were finished elsewhere.
    const interrupted = attempts.filter((a) => a.outcome === 'interrupted');
    expect(interrupted.length).to.be.greaterThan(0);
    expect(new Set(interrupted.map((a) => a.instance))).to.deep.equal(new Set([victim.id]));
    for (const o of orphaned) {
      const later = attempts.filter((a) => a.notification_id === o.id && a.digits);
      expect(later.map((a) => a.instance === victim.id), `page ${o.id} finished by a survivor`).to.deep.equal([false]);
    }
    // Bundling held across instances: far fewer calls than pages.
    expect(calls.size).to.be.lessThan(total + interrupted.length);
  });
});
