/**
 * A burst through the voice engine (fake clock, real SQLite): an incident pages a whole team at
 * once. One claim round starts one call per person, never two for one person or one page, and
 * the dial path keeps its guarantees when it is batched.
 */
import { expect } from 'chai';
import { makeTestDb, TestDb } from '../helpers/db';
import { openReadDb } from '../../src/db/knex';
import { FakeClock } from '../fakes/clock';
import { NotificationsRepo, Notification } from '../../src/db/notifications-repo';
import { UsersRepo } from '../../src/directory/users-repo';
import { VoiceEngine } from '../../src/dispatch/voice-engine';
import type { Preparer, VoiceFallback } from '../../src/dispatch/voice-types';
import type { CallReport, CallRunner, OutboundCall, PreparedPage } from '../../src/ivr/call-types';
import type { User } from '../../src/directory/user';
import { silentLogger } from '../../src/core/log';

/** Calls stay on the phone until the test hangs them up (answered, "1" pressed). */
class HeldRunner implements CallRunner {
  calls: OutboundCall[] = [];
  private hangups: (() => void)[] = [];
  constructor(private readonly clock: FakeClock) {}
  run(call: OutboundCall, signal: AbortSignal): Promise<CallReport> {
    this.calls.push(call);
    return new Promise((resolve) => {
      signal.addEventListener('abort', () => this.hangUpAll());
      this.hangups.push(() => {
        const now = this.clock.now();
        resolve({
          outcome: 'answered',
          delivered: true,
          digits: '1',
          action: null,
          actionStatus: null,
          result: null,
          cause: null,
          ringingAt: now,
          answeredAt: now,
          endedAt: now,
          settledAlertGroups: [],
        });
      });
    });
  }
  hangUpAll(): void {
    for (const h of this.hangups.splice(0)) h();
  }
}

/** Lets the database answer what the engine asked, without waiting on the (fake) clock. */
async function settleIo(): Promise<void> {
  for (let i = 0; i < 100; i++) await new Promise((r) => setImmediate(r));
}

/** Counts the calls made to one of the repository's claim methods from now on. */
function counted(repo: NotificationsRepo, method: 'claimPeople' | 'anyClaimable'): { n: number } {
  const count = { n: 0 };
  const original = repo[method].bind(repo) as (o: never) => unknown;
  (repo as unknown as Record<string, (o: never) => unknown>)[method] = (o) => (count.n++, original(o));
  return count;
}

const fallback: VoiceFallback = { handOver: async () => 'handed over' };

describe('voice engine: a burst of pages for many people', () => {
  let t: TestDb;
  let clock: FakeClock;
  let repo: NotificationsRepo;
  let users: UsersRepo;
  let people: User[];
  let engine: VoiceEngine | null;

  const preparer: Preparer = {
    // Every page is prepared at once here: none ever waits in a line to be hurried.
    hurry: () => undefined,
    async prepare(n: Notification, user: User): Promise<PreparedPage> {
      return { notification: n, alertGroupId: n.alertGroupId, correlation: 'none', text: n.message, lang: user.lang, summary: null };
    },
  };

  beforeEach(async () => {
    t = await makeTestDb();
    clock = new FakeClock();
    repo = new NotificationsRepo(t.db, () => clock.now());
    users = new UsersRepo(t.db, () => clock.now());
    people = [];
    for (let p = 0; p < 20; p++)
      people.push(await users.create({ email: `p${p}@example.com`, name: `P${p}`, phone: `+1555000${1000 + p}` }, { lang: 'en' }));
    engine = null;
  });
  afterEach(async () => {
    await engine?.stop();
    await t.close();
  });

  const page = (u: User, message = 'disk full') =>
    repo.enqueue({ kind: 'call', source: 'oncall-cloud', userId: u.id, email: u.email, message }).then((r) => r.notification.id);
  const build = (runner: CallRunner, maxCalls: number) => {
    engine = new VoiceEngine(
      { repo, users, runner, preparer, settled: null, fallback, clock, logger: silentLogger() },
      { instanceId: 'i1', maxCalls, originatesPerSecond: 1000, sweepMs: 1000 },
    );
    return engine;
  };
  const attemptsOf = async (ids: number[]) => {
    const m = await repo.attemptsFor(ids);
    return ids.map((id) => (m.get(id) ?? []).length);
  };

  it("one claim of 20 people's pages starts 20 calls, one per person, each page attempted once", async () => {
    await users.update(people[1].email, { phones: [{ number: people[1].phone! }, { number: '+15559990001', label: 'desk' }] });
    const ids = [await page(people[0], 'first'), ...(await Promise.all(people.map((p) => page(p))))];
    const runner = new HeldRunner(clock);
    const claims = counted(repo, 'claimPeople');
    const probes = counted(repo, 'anyClaimable');
    build(runner, 50).start();
    while (runner.calls.length < 20) await new Promise((r) => setImmediate(r));
    await settleIo();
    expect(runner.calls.map((c) => c.user.id).sort((a, b) => a - b)).to.deep.equal(people.map((p) => p.id));
    expect(runner.calls.find((c) => c.user.id === people[0].id)!.pages).to.have.length(2);
    // Each person as one lookup would give them: with every phone, in dialling order.
    expect(runner.calls.find((c) => c.user.id === people[1].id)!.user.phones.map((p) => p.number)).to.deep.equal([
      people[1].phone,
      '+15559990001',
    ]);
    // The first round claimed everyone. The second asked a reader, found nothing left, and so
    // did not hold the writer for a claim that takes nothing.
    expect(claims.n).to.equal(1);
    expect(probes.n).to.equal(2);
    expect(await attemptsOf(ids)).to.deep.equal(ids.map(() => 1));
    expect(new Set(runner.calls.map((c) => c.callId)).size).to.equal(20);
    runner.hangUpAll();
    await engine!.idle();
    expect((await repo.countByState()).delivered).to.equal(21);
    expect(await attemptsOf(ids)).to.deep.equal(ids.map(() => 1));
  });

  it('pages for a person committed after their claim but before the dial join that call: one call tells all three', async () => {
    const runner = new HeldRunner(clock);
    const built = build(runner, 5);
    let wake: ((n: Notification) => void) | null = null;
    const enqueue = async (message: string) => {
      const { notification } = await repo.enqueue({
        kind: 'call',
        source: 'oncall-cloud',
        userId: people[0].id,
        email: 'p0@x.io',
        message,
      });
      wake?.(notification); // as the intake does once the page is on disk
      return notification.id;
    };
    // OnCall's next two make_calls commit right after the claim took the first page.
    const later: number[] = [];
    const claimPeople = repo.claimPeople.bind(repo);
    repo.claimPeople = async (o) => {
      const claimed = await claimPeople(o);
      if (claimed.rows.length && later.length === 0) later.push(await enqueue('second'), await enqueue('third'));
      return claimed;
    };
    built.start((fn) => ((wake = fn), () => (wake = null)));
    const first = await enqueue('first');
    while (runner.calls.length < 1) await new Promise((r) => setImmediate(r));
    expect(runner.calls[0].pages.map((p) => p.notification.id)).to.deep.equal([first, ...later]);
    runner.hangUpAll();
    await engine!.idle();
    for (let step = 0; step < 30; step++) {
      await clock.advance(1000);
      await settleIo();
    }
    expect(runner.calls, 'one call').to.have.length(1);
    expect(await attemptsOf([first, ...later])).to.deep.equal([1, 1, 1]);
    expect((await repo.countByState()).delivered).to.equal(3);
  });

  it('a new page that cannot join (the database refused) leaves the call ringing, and waits for the next call', async () => {
    const runner = new HeldRunner(clock);
    const built = build(runner, 5);
    let wake: ((n: Notification) => void) | null = null;
    let late = 0;
    const claimPeople = repo.claimPeople.bind(repo);
    repo.claimPeople = async (o) => {
      const claimed = await claimPeople(o);
      if (claimed.rows.length && late === 0) {
        const { notification } = await repo.enqueue({
          kind: 'call',
          source: 'oncall-cloud',
          userId: people[0].id,
          email: 'p0@x.io',
          message: 'late',
        });
        late = notification.id;
        wake!(notification);
      }
      return claimed;
    };
    repo.claim = () => Promise.reject(new Error('SQLITE_BUSY: database is locked'));
    built.start((fn) => ((wake = fn), () => (wake = null)));
    const first = await page(people[0], 'first');
    wake!((await repo.get(first))!);
    while (runner.calls.length < 1) await new Promise((r) => setImmediate(r));
    expect(runner.calls[0].pages.map((p) => p.notification.id)).to.deep.equal([first]);
    expect(await repo.get(late)).to.include({ state: 'pending', leaseOwner: null, attempts: 0 });
    runner.hangUpAll();
    await engine!.idle();
  });

  it("a new page joins a retry's call too, and is prepared while the phone rings", async () => {
    const retry = await page(people[0], 'retried');
    await repo.claim({ owner: 'i1', kinds: ['call'], leaseMs: 60_000, limit: 1 });
    await repo.reschedule(retry, 'i1', clock.now(), 'no answer');
    const runner = new HeldRunner(clock);
    const built = build(runner, 5);
    let wake: ((n: Notification) => void) | null = null;
    let joined = 0;
    const claimPeople = repo.claimPeople.bind(repo);
    repo.claimPeople = async (o) => {
      const claimed = await claimPeople(o);
      if (claimed.rows.length && joined === 0) {
        const { notification } = await repo.enqueue({
          kind: 'call',
          source: 'oncall-cloud',
          userId: people[0].id,
          email: 'p0@x.io',
          message: 'new',
        });
        joined = notification.id;
        wake!(notification);
      }
      return claimed;
    };
    built.start((fn) => ((wake = fn), () => (wake = null)));
    while (runner.calls.length < 1) await new Promise((r) => setImmediate(r));
    const [call] = runner.calls;
    expect(call.pages.map((p) => p.notification.id)).to.deep.equal([retry, joined]);
    expect((await call.ready!).map((p) => p.notification.id)).to.deep.equal([retry, joined]);
    runner.hangUpAll();
    await engine!.idle();
    expect(await attemptsOf([retry, joined])).to.deep.equal([1, 1]);
  });

  it('a burst whose pages were all heard before its claim asks nothing more per person before the dial', async () => {
    const runner = new HeldRunner(clock);
    const built = build(runner, 50);
    let wake: ((n: Notification) => void) | null = null;
    // The claim waits until every page of the burst is on disk and heard, as when the intake is quicker.
    let open!: () => void;
    const gate = new Promise<void>((r) => (open = r));
    const claimPeople = repo.claimPeople.bind(repo);
    repo.claimPeople = async (o) => (await gate, claimPeople(o));
    let claims = 0;
    const claim = repo.claim.bind(repo);
    repo.claim = (o) => (claims++, claim(o));
    built.start((fn) => ((wake = fn), () => (wake = null)));
    for (const p of [people[0], ...people]) {
      const { notification } = await repo.enqueue({ kind: 'call', source: 'oncall-cloud', userId: p.id, email: p.email, message: 'm' });
      wake!(notification);
    }
    open();
    while (runner.calls.length < 20) await new Promise((r) => setImmediate(r));
    expect(runner.calls.find((c) => c.user.id === people[0].id)!.pages).to.have.length(2);
    expect(claims, 'queries besides the burst claim').to.equal(0);
    runner.hangUpAll();
    await engine!.idle();
  });

  it('asks a reader before a claim nothing was heard for: sweeps that find nothing never take the writer, a heard page is claimed at once', async () => {
    const runner = new HeldRunner(clock);
    const built = build(runner, 5);
    const claims = counted(repo, 'claimPeople');
    const probes = counted(repo, 'anyClaimable');
    let wake: ((n: Notification) => void) | null = null;
    built.start((fn) => ((wake = fn), () => (wake = null)));
    for (let i = 0; i < 3; i++) {
      await clock.advance(1000);
      await engine!.idle();
    }
    expect(claims.n, 'write transactions with nothing due').to.equal(0);
    expect(probes.n).to.be.greaterThanOrEqual(3);
    const before = probes.n;
    const { notification } = await repo.enqueue({
      kind: 'call',
      source: 'oncall-cloud',
      userId: people[0].id,
      email: people[0].email,
      message: 'm',
    });
    wake!(notification);
    while (runner.calls.length < 1) await new Promise((r) => setImmediate(r));
    expect(claims.n).to.equal(1);
    // Only the round's second look (is anything else due?) went to the reader.
    await settleIo();
    expect(probes.n - before).to.equal(1);
    runner.hangUpAll();
    await engine!.idle();
  });

  it('a reader that cannot answer does not hold pages back: the claim goes ahead', async () => {
    await page(people[0]);
    repo.anyClaimable = async () => {
      throw new Error('SQLITE_BUSY: database is locked');
    };
    const runner = new HeldRunner(clock);
    build(runner, 5).start();
    while (runner.calls.length < 1) await new Promise((r) => setImmediate(r));
    runner.hangUpAll();
    await engine!.idle();
    expect((await repo.countByState()).delivered).to.equal(1);
  });

  it("dials without waiting for the attempt's write, and records the attempt beside the call", async () => {
    const id = await page(people[0]);
    let commit!: () => void;
    const held = new Promise<void>((r) => (commit = r));
    const startAttempts = repo.startAttempts.bind(repo);
    repo.startAttempts = async (a) => (await held, startAttempts(a));
    const runner = new HeldRunner(clock);
    build(runner, 5).start();
    while (runner.calls.length < 1) await new Promise((r) => setImmediate(r));
    expect(await attemptsOf([id]), 'the phone rings before the attempt is on disk').to.deep.equal([0]);
    commit();
    await settleIo();
    expect(await attemptsOf([id])).to.deep.equal([1]);
    runner.hangUpAll();
    await engine!.idle();
    expect((await repo.attemptsFor([id])).get(id)![0].outcome).to.equal('answered');
  });

  it('an attempt the database refused does not stop the call: it rings, and its page is settled by what was pressed', async () => {
    const id = await page(people[0]);
    repo.startAttempts = async () => {
      throw new Error('SQLITE_FULL: database or disk is full');
    };
    const lines: string[] = [];
    const runner = new HeldRunner(clock);
    const logger = silentLogger();
    logger.error = ((o: { err?: string }, msg: string) => void lines.push(`${msg}: ${o.err}`)) as typeof logger.error;
    engine = new VoiceEngine(
      { repo, users, runner, preparer, settled: null, fallback, clock, logger },
      { instanceId: 'i1', maxCalls: 5, originatesPerSecond: 1000, sweepMs: 1000 },
    );
    engine.start();
    while (runner.calls.length < 1) await new Promise((r) => setImmediate(r));
    runner.hangUpAll();
    await engine.idle();
    expect((await repo.get(id))!.state).to.equal('delivered');
    expect(lines.join('\n')).to.match(/could not be recorded as an attempt.*SQLITE_FULL/);
  });

  it('a stop during a claim waits for it, dials nothing it claimed, and hands the pages back due now', async () => {
    const ids = await Promise.all(people.slice(0, 3).map((p) => page(p)));
    let readsAsked!: () => void;
    const asked = new Promise<void>((r) => (readsAsked = r));
    let answer!: () => void;
    const held = new Promise<void>((r) => (answer = r));
    const getManyById = users.getManyById.bind(users);
    users.getManyById = async (...a) => (readsAsked(), await held, getManyById(...a));
    const runner = new HeldRunner(clock);
    build(runner, 5).start();
    await asked; // the claim has committed; its reads wait
    let stopped = false;
    const stopping = engine!.stop().then(() => (stopped = true));
    await settleIo();
    expect(stopped, 'stop waits for the claim round').to.equal(false);
    answer();
    await stopping;
    expect(runner.calls).to.have.length(0);
    const rows = await Promise.all(ids.map((id) => repo.get(id)));
    expect(rows.map((r) => [r!.state, r!.leaseOwner])).to.deep.equal(ids.map(() => ['pending', null]));
  });

  it('never claims more people than free lines, and the rest ring when lines free up', async () => {
    for (const p of people.slice(0, 8)) await page(p);
    const runner = new HeldRunner(clock);
    build(runner, 5).start();
    while (runner.calls.length < 5) await new Promise((r) => setImmediate(r));
    await clock.advance(1000);
    expect(runner.calls).to.have.length(5);
    expect((await repo.countByState()).pending).to.equal(3);
    runner.hangUpAll();
    while (runner.calls.length < 8) await new Promise((r) => setImmediate(r));
    expect(new Set(runner.calls.map((c) => c.user.id)).size).to.equal(8);
    runner.hangUpAll();
    await engine!.idle();
  });

  it('a person already on the phone is not claimed again: their new page waits for that call and is not touched', async () => {
    await page(people[0]);
    const runner = new HeldRunner(clock);
    build(runner, 5).start();
    while (runner.calls.length < 1) await new Promise((r) => setImmediate(r));
    const again = await page(people[0], 'second');
    await page(people[1]);
    engine!.kick();
    while (runner.calls.length < 2) await new Promise((r) => setImmediate(r));
    await clock.advance(1000);
    expect(runner.calls.map((c) => c.user.id)).to.deep.equal([people[0].id, people[1].id]);
    const waiting = (await repo.get(again))!;
    expect(waiting).to.include({ state: 'pending', leaseOwner: null, attempts: 0 });
    expect(waiting.nextAttemptAt).to.be.at.most(clock.now());
    runner.hangUpAll();
    await engine!.idle(); // both calls recorded; the new page is held for the call gap
    // Calls to one person keep the call gap (15 s by default) apart: let the fake clock run past it.
    for (let step = 0; step < 60 && runner.calls.length < 3; step++) {
      await clock.advance(1000);
      await settleIo();
    }
    expect(runner.calls[2].pages.map((p) => p.notification.id)).to.deep.equal([again]);
    runner.hangUpAll();
    await engine!.idle();
  });

  it('pages claimed by an instance that died before any attempt are claimed again after the lease and called once', async () => {
    const ids = await Promise.all(people.slice(0, 3).map((p) => page(p)));
    const dead = await repo.claimPeople({ owner: 'dead', kinds: ['call'], leaseMs: 120_000, people: 20, perPerson: 21 });
    expect(dead.rows).to.have.length(3);
    const runner = new HeldRunner(clock);
    build(runner, 5).start();
    await engine!.idle();
    expect(runner.calls).to.have.length(0); // the lease is still live
    await clock.advance(121_000);
    while (runner.calls.length < 3) await new Promise((r) => setImmediate(r));
    await settleIo();
    expect(await attemptsOf(ids)).to.deep.equal([1, 1, 1]);
    runner.hangUpAll();
    await engine!.idle();
    const attempts = await repo.attemptsFor(ids);
    expect(ids.map((id) => attempts.get(id)![0].outcome)).to.deep.equal(['answered', 'answered', 'answered']);
  });

  it("dispatch latency is each page's own wait from its acceptance, not from the claim", async () => {
    for (const p of people.slice(0, 5)) await page(p);
    await clock.advance(700); // the pages queued this long before the engine claimed them
    const started: number[][] = [];
    const runner = new HeldRunner(clock);
    engine = new VoiceEngine(
      {
        repo,
        users,
        runner,
        preparer,
        settled: null,
        fallback,
        clock,
        logger: silentLogger(),
        observe: (e) => e.type === 'call-started' && started.push(e.firstWaitsMs),
      },
      { instanceId: 'i1', maxCalls: 10, originatesPerSecond: 1000, sweepMs: 1000 },
    );
    engine.start();
    while (runner.calls.length < 5) await new Promise((r) => setImmediate(r));
    expect(started).to.deep.equal([[700], [700], [700], [700], [700]]);
    runner.hangUpAll();
    await engine.idle();
  });

  it("reads a claim's people and history through the read connections, not the writer's", async () => {
    const readDb = openReadDb({ client: 'sqlite', filename: t.file }, t.db);
    try {
      const ids = await Promise.all(people.slice(0, 5).map((p) => page(p)));
      const writerReads: string[] = [];
      users.getManyById = async () => (writerReads.push('people'), new Map());
      repo.voiceHistories = async () => (writerReads.push('history'), new Map());
      const runner = new HeldRunner(clock);
      engine = new VoiceEngine(
        {
          ...{ repo, users, runner, preparer, settled: null, fallback, clock, logger: silentLogger() },
          reads: { notifications: new NotificationsRepo(readDb, () => clock.now()), users: new UsersRepo(readDb, () => clock.now()) },
        },
        { instanceId: 'i1', maxCalls: 10, originatesPerSecond: 1000, sweepMs: 1000 },
      );
      engine.start();
      while (runner.calls.length < 5) await new Promise((r) => setImmediate(r));
      expect(writerReads).to.deep.equal([]);
      expect(runner.calls.map((c) => c.user.email).sort()).to.deep.equal(
        people
          .slice(0, 5)
          .map((p) => p.email)
          .sort(),
      );
      runner.hangUpAll();
      await engine.idle();
      expect(await attemptsOf(ids)).to.deep.equal(ids.map(() => 1));
    } finally {
      await engine?.stop();
      await readDb.destroy();
    }
  });
});
