/**
 * One shift-watcher world per test: a fake clock, the fake OnCall engine on loopback reading
 * that clock, a real SQLite file with the directory, and a pager that records what it sent.
 */
import { Writable } from 'node:stream';
import { FakeClock } from '../../fakes/clock';
import { FakeOnCall } from '../../fakes/oncall';
import { makeTestDb, type TestDb } from '../../helpers/db';
import { HttpOnCallClient } from '../../../src/oncall';
import { UsersRepo } from '../../../src/directory/users-repo';
import { userCreateSchema } from '../../../src/directory/user';
import { createLogger } from '../../../src/core/log';
import {
  ShiftNoticesRepo,
  ShiftWatcher,
  shiftsSectionSchema,
  type ShiftPage,
  type ShiftPager,
  type ShiftsSection,
} from '../../../src/watchers/shifts';

export class FakeShiftPager implements ShiftPager {
  readonly pages: ShiftPage[] = [];
  failures = 0;
  async page(p: ShiftPage): Promise<number> {
    if (this.failures > 0) {
      this.failures--;
      throw new Error('pager broke');
    }
    this.pages.push(p);
    return 1;
  }
  /** "email: text" lines, the easiest thing to compare. */
  lines(): string[] {
    return this.pages.map((p) => `${p.emails.join(',')}: ${p.text}`);
  }
}

export class ShiftWorld {
  readonly logs: Record<string, unknown>[] = [];
  readonly pager = new FakeShiftPager();
  watcher!: ShiftWatcher;
  private constructor(
    readonly clock: FakeClock,
    readonly oncall: FakeOnCall,
    readonly t: TestDb,
    readonly users: UsersRepo,
    readonly repo: ShiftNoticesRepo,
    private readonly client: HttpOnCallClient,
    private config: ShiftsSection,
  ) {}

  static async create(startIso: string, config: Partial<Record<keyof ShiftsSection, unknown>> = {}): Promise<ShiftWorld> {
    const clock = new FakeClock(Date.parse(startIso));
    const oncall = await FakeOnCall.start({ now: () => clock.now() });
    oncall.state.addUser({ email: 'dozvon@example.com', token: 'tok-svc', role: 'admin' });
    const t = await makeTestDb();
    // The client keeps real-time timeouts: the fake clock only drives the watcher.
    const client = new HttpOnCallClient({ baseUrl: oncall.url, token: 'tok-svc', timeoutMs: 2000 });
    const w = new ShiftWorld(clock, oncall, t, new UsersRepo(t.db), new ShiftNoticesRepo(t.db), client, shiftsSectionSchema.parse(config));
    w.watcher = w.newWatcher();
    return w;
  }

  /** A person in both OnCall and the directory; returns the OnCall pk. */
  async person(
    email: string,
    opts: { lang?: 'en' | 'ru'; timezone?: string; inDirectory?: boolean; oncallTimezone?: string } = {},
  ): Promise<string> {
    const u = this.oncall.state.addUser({ email, timezone: opts.oncallTimezone ?? 'UTC' });
    if (opts.inDirectory !== false)
      await this.users.create(
        userCreateSchema.parse({
          email,
          name: email.split('@')[0],
          channels: 'push',
          lang: opts.lang ?? 'en',
          ...(opts.timezone ? { timezone: opts.timezone } : {}),
        }),
        { lang: 'en' },
      );
    return u.id;
  }

  /** A watcher on this world; `pager` replaces the recording one (e.g. the real DirectPager). */
  newWatcher(pager: ShiftPager = this.pager): ShiftWatcher {
    const destination = new Writable({
      write: (chunk: Buffer, _enc, cb) => {
        for (const line of chunk.toString('utf8').split('\n').filter(Boolean)) this.logs.push(JSON.parse(line) as Record<string, unknown>);
        cb();
      },
    });
    return new ShiftWatcher({
      client: this.client,
      repo: this.repo,
      directory: this.users,
      pager,
      clock: this.clock,
      logger: createLogger({ destination, level: 'debug' }),
      config: this.config,
    });
  }

  /** Starts the watcher; its first look happens at once. */
  async start(): Promise<void> {
    this.watcher.start();
    await this.clock.advance(0);
    await this.watcher.idle();
  }

  /** Moves time minute by minute, letting each look finish (looks run just after each minute turns). */
  async minutes(n: number): Promise<void> {
    for (let i = 0; i < n; i++) {
      await this.clock.advance(60_000);
      await this.watcher.idle();
    }
  }

  /** Stops the watcher, lets time pass with nothing running, and starts a new one on the same DB. */
  async restartAt(iso: string): Promise<void> {
    await this.watcher.stop();
    await this.clock.advance(Date.parse(iso) - this.clock.now());
    this.watcher = this.newWatcher();
    await this.start();
  }

  logged(msg: string): Record<string, unknown>[] {
    return this.logs.filter((l) => l.msg === msg);
  }

  async close(): Promise<void> {
    await this.watcher.stop();
    await this.oncall.close();
    await this.t.close();
  }
}
