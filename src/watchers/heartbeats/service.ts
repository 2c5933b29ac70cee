/**
 * The heartbeat watcher: every state change goes through the pure machine, is persisted in
 * one transaction, and re-arms one Clock timer per heartbeat at its exact deadline (no
 * polling, so expiry is seen within milliseconds). Mutations run one at a time so a ping
 * and a firing timer never race. Pages and OnCall alerts are sent off the mutation path.
 */
import type { Clock, TimerHandle } from '../../core/clock';
import { AppError, errorMessage, NotFoundError } from '../../core/errors';
import { Logger, maskEmail } from '../../core/log';
import type { DeclaredHeartbeat } from '../config';
import { MachineAction, MachineEvent, Transition, next } from './machine';
import type { Heartbeat, HeartbeatEvent, HeartbeatInput, HeartbeatPatch } from './model';
import type { HeartbeatAlerter, Pager } from './notify';
import type { HeartbeatsRepo } from './repo';
import { alertUid, downTexts, recoveredTexts } from './texts';
import { UnknownPings, UnknownPing } from './unknown';
import { checkPageList, PeopleDirectory } from './page-list';
import { directScope, writeChange, type ChangeRecord, type Scope } from './change';

/** Node timers overflow past ~24.8 days; long deadlines are reached in steps. */
const MAX_TIMER_MS = 24 * 3600 * 1000;
/** A row that changes under us this often in a row is contended beyond reason: give up loudly. */
const MAX_CAS_ATTEMPTS = 5;

export interface HeartbeatServiceOptions {
  repo: HeartbeatsRepo;
  clock: Clock;
  logger: Logger;
  pager: Pager;
  alerter?: HeartbeatAlerter | null;
  /** Paged for heartbeats whose own list is empty. */
  defaultPage?: readonly string[];
  /** From the `heartbeats.declare` YAML list: created or brought in line at start. */
  declared?: readonly DeclaredHeartbeat[];
  /** When set, page lists naming people outside it, or nobody at all, are refused (page-list.ts). */
  directory?: PeopleDirectory | null;
  /** Called after every persisted change (status page, metrics). Must not throw. */
  onChange?: (hb: Heartbeat) => void;
}

export interface HeartbeatStartOptions {
  /** Taking over from another cluster instance: no restart grace for deadlines already passed. */
  takeover?: boolean;
}

export interface PingOptions {
  source?: string;
  /** Written with the ping's transition, in its transaction. */
  record?: ChangeRecord;
  /** Create the heartbeat first if it does not exist (Watchdog auto-creation, healthchecks `?create=1`). */
  createWith?: Omit<HeartbeatInput, 'name'>;
}

export interface PingResult {
  heartbeat: Heartbeat | null;
  created: boolean;
}

export class HeartbeatService {
  private readonly timers = new Map<string, TimerHandle>();
  private readonly inflight = new Set<Promise<unknown>>();
  private readonly unknown = new UnknownPings();
  /** Declarations refused at start, by name: why (the heartbeats self-check shows them). */
  private readonly refused = new Map<string, string>();
  private chain: Promise<unknown> = Promise.resolve();
  private running = false;
  private readonly log: Logger;

  constructor(private readonly o: HeartbeatServiceOptions) {
    this.log = o.logger.child({ module: 'heartbeats' });
  }

  /**
   * Applies the declarations, then re-arms every heartbeat. A real start forgives deadlines
   * that passed while we were down (pings sent to a dead dozvon were lost). A cluster
   * takeover does not: pings kept reaching the live instances, so a deadline that passed
   * during the handover is real and its timer fires at once.
   */
  async start(opts: HeartbeatStartOptions = {}): Promise<void> {
    this.running = true;
    const takeover = opts.takeover ?? false;
    await this.serial(async () => {
      for (const d of this.o.declared ?? []) await this.declare(d);
      for (const hb of await this.o.repo.list()) {
        if (takeover) this.arm(hb);
        else await this.apply(hb, { type: 'restart' });
      }
    });
    this.log.info({ count: (await this.o.repo.list()).length, takeover }, 'heartbeat watcher started');
  }

  /** Cancels every timer, abandons OnCall alert retries, and waits for pages already under way. */
  async stop(): Promise<void> {
    this.running = false;
    for (const t of this.timers.values()) t.cancel();
    this.timers.clear();
    this.o.alerter?.close();
    await this.idle();
  }

  /** Resolves when no mutation, page or alert is in flight (tests, shutdown). */
  async idle(): Promise<void> {
    while (this.inflight.size) await Promise.allSettled([...this.inflight]);
  }

  /** Same shape as the cloud router's HeartbeatSink: `ping(name, source)` works too. */
  async ping(name: string, opts: PingOptions | string = {}): Promise<PingResult> {
    const o = typeof opts === 'string' ? { source: opts } : opts;
    const source = o.source ?? 'ping';
    return this.serial(async () => {
      let hb = await this.o.repo.get(name);
      let created = false;
      if (!hb && o.createWith) {
        await this.checkPage(name, o.createWith.page);
        hb = await this.o.repo.insert({ ...o.createWith, name }, this.o.clock.now());
        this.unknown.forget(name);
        created = true;
        this.log.info({ heartbeat: name, kind: hb.kind }, 'heartbeat created by its first ping');
      }
      if (!hb) {
        this.unknown.record(name, source, this.o.clock.now());
        this.log.warn({ heartbeat: name, source }, 'ping for an unknown heartbeat');
        return { heartbeat: null, created };
      }
      const known = hb;
      const { after } = await writeChange(
        this.o.repo,
        async (s) => ({ before: known, after: await this.apply(known, { type: 'ping', source }, undefined, s) }),
        o.record,
      );
      return { heartbeat: after, created };
    });
  }

  /** healthchecks `/fail`: down at once and page. */
  async fail(name: string, reason = 'failure signalled'): Promise<Heartbeat> {
    return this.serial(async () => this.apply(await this.mustGet(name), { type: 'fail', reason }));
  }

  /** healthchecks `/start` and `/log`: history only, no state change. */
  async note(name: string, event: 'start' | 'log', detail: string | null): Promise<Heartbeat> {
    return this.serial(async () => {
      const hb = await this.mustGet(name);
      await this.o.repo.addEvent(hb.id, { at: this.o.clock.now(), event, detail });
      return hb;
    });
  }

  async create(input: HeartbeatInput, record?: ChangeRecord): Promise<Heartbeat> {
    return this.serial(async () => {
      await this.checkPage(input.name, input.page);
      const { after } = await writeChange(
        this.o.repo,
        async (s) => {
          const hb = await s.repo.insert(input, this.o.clock.now());
          s.after(() => {
            this.unknown.forget(input.name);
            this.log.info({ heartbeat: hb.name, kind: hb.kind, periodS: hb.periodS, graceS: hb.graceS }, 'heartbeat created');
            this.changed(hb);
          });
          return { before: null, after: hb };
        },
        record,
      );
      return after!;
    });
  }

  /** Get or create: what the OnCall integration call uses, idempotent by name. */
  async ensure(input: HeartbeatInput): Promise<Heartbeat> {
    return this.serial(async () => (await this.o.repo.get(input.name)) ?? this.o.repo.insert(input, this.o.clock.now()));
  }

  async update(name: string, patch: HeartbeatPatch, record?: ChangeRecord): Promise<Heartbeat> {
    return this.serial(async () => {
      const before = await this.mustGet(name);
      if (patch.page !== undefined) await this.checkPage(name, patch.page);
      const { after } = await writeChange(
        this.o.repo,
        async (s) => {
          await s.repo.updateConfig(before.id, patch);
          const timing =
            (patch.periodS !== undefined && patch.periodS !== before.periodS) ||
            (patch.graceS !== undefined && patch.graceS !== before.graceS);
          let hb = await this.mustGet(name, s.repo);
          if (timing) hb = await this.apply(hb, { type: 'reconfigure' }, undefined, s);
          if (patch.enabled !== undefined && patch.enabled !== hb.enabled)
            hb = await this.apply(hb, { type: patch.enabled ? 'resume' : 'pause' }, patch.enabled, s);
          const changed = hb;
          s.after(() => this.changed(changed));
          return { before, after: hb };
        },
        record,
      );
      return after!;
    });
  }

  async enable(name: string, record?: ChangeRecord): Promise<Heartbeat> {
    return this.serial(async () => this.turn(name, true, record));
  }

  async disable(name: string, record?: ChangeRecord): Promise<Heartbeat> {
    return this.serial(async () => this.turn(name, false, record));
  }

  async delete(name: string, record?: ChangeRecord): Promise<void> {
    await this.serial(async () => {
      await writeChange(
        this.o.repo,
        async (s) => {
          const hb = await this.mustGet(name, s.repo);
          await s.repo.delete(hb.id);
          s.after(() => {
            this.timers.get(name)?.cancel();
            this.timers.delete(name);
            this.log.info({ heartbeat: name }, 'heartbeat deleted');
          });
          return { before: hb, after: null };
        },
        record,
      );
    });
  }

  get(name: string): Promise<Heartbeat | null> {
    return this.o.repo.get(name);
  }

  list(): Promise<Heartbeat[]> {
    return this.o.repo.list();
  }

  async history(name: string, limit = 50): Promise<HeartbeatEvent[]> {
    return this.o.repo.events((await this.mustGet(name)).id, limit);
  }

  /** Names pinged without a heartbeat: a typo must not silently disable monitoring. */
  unknownPings(): UnknownPing[] {
    return this.unknown.list();
  }

  /** Why declarations of the config file were refused at start (nobody to page, people not in the directory). */
  refusedDeclarations(): string[] {
    return [...this.refused.values()];
  }

  private async checkPage(name: string, page: readonly string[] | undefined): Promise<void> {
    if (this.o.directory) await checkPageList(name, page ?? [], this.o.defaultPage ?? [], this.o.directory);
  }

  /**
   * A declaration that could page no one is refused (not created, an existing one keeps its old
   * list) and logged; the others still apply. Refusing to start instead would stop all paging
   * over one typo, or over a person removed from the directory since.
   */
  private async declare(d: DeclaredHeartbeat): Promise<void> {
    try {
      await this.checkPage(d.name, d.page);
      this.refused.delete(d.name);
    } catch (e) {
      if (!(e instanceof AppError) || e.code !== 'invalid') throw e;
      this.refused.set(d.name, e.message);
      this.log.error({ heartbeat: d.name, err: e.message }, 'heartbeats.declare: declaration refused');
      return;
    }
    const hb = await this.o.repo.get(d.name);
    const wanted = { kind: d.kind, periodS: d.every, graceS: d.grace, page: d.page, description: d.description ?? null };
    if (!hb) {
      await this.o.repo.insert({ name: d.name, ...wanted }, this.o.clock.now());
      return;
    }
    // The YAML file is the source of truth for declared heartbeats; state and history are kept.
    await this.o.repo.updateConfig(hb.id, wanted);
    if (hb.periodS !== d.every || hb.graceS !== d.grace) await this.apply((await this.o.repo.get(d.name))!, { type: 'reconfigure' });
  }

  private async turn(name: string, on: boolean, record?: ChangeRecord): Promise<Heartbeat> {
    const { after } = await writeChange(
      this.o.repo,
      async (s) => {
        const before = await this.mustGet(name, s.repo);
        return { before, after: await this.apply(before, { type: on ? 'resume' : 'pause' }, on, s) };
      },
      record,
    );
    return after!;
  }

  private async mustGet(name: string, repo: HeartbeatsRepo = this.o.repo): Promise<Heartbeat> {
    const hb = await repo.get(name);
    if (!hb) throw new NotFoundError(`heartbeat "${name}"`);
    return hb;
  }

  /**
   * One transition: persist, re-arm, then notify without waiting. Runs inside serial(), which
   * orders this instance's mutations; other instances write the same rows, so the write is a
   * compare-and-set against the row we computed from, recomputed on a fresh read if it lost.
   */
  private async apply(hb: Heartbeat, ev: MachineEvent, enabled?: boolean, s: Scope = directScope(this.o.repo)): Promise<Heartbeat> {
    for (let attempt = 1; ; attempt++) {
      const now = this.o.clock.now();
      const { next: n, actions } = next(hb, ev, now);
      const records = actions.flatMap((a) => (a.type === 'record' ? [a.record] : []));
      if (
        await s.repo.saveProgress(
          hb.id,
          { state: n.state, lastPingAt: n.lastPingAt, dueAt: n.dueAt, stateChangedAt: n.stateChangedAt, enabled },
          records,
          hb,
        )
      ) {
        return this.applied(hb, ev, n, actions, s, enabled);
      }
      const fresh = await s.repo.get(hb.name);
      if (!fresh || fresh.id !== hb.id) throw new NotFoundError(`heartbeat "${hb.name}"`);
      if (attempt >= MAX_CAS_ATTEMPTS)
        throw new AppError('conflict', `heartbeat "${hb.name}" kept changing under ${ev.type}`, { temporary: true });
      this.log.info({ heartbeat: hb.name, event: ev.type, attempt }, 'heartbeat changed on another instance meanwhile: recomputing');
      hb = fresh;
    }
  }

  /** After a successful write (and its commit): re-arm, log, page. */
  private applied(
    hb: Heartbeat,
    ev: MachineEvent,
    n: Transition['next'],
    actions: MachineAction[],
    s: Scope,
    enabled?: boolean,
  ): Heartbeat {
    const after: Heartbeat = {
      ...hb,
      state: n.state,
      lastPingAt: n.lastPingAt,
      dueAt: n.dueAt,
      stateChangedAt: n.stateChangedAt ?? hb.stateChangedAt,
      enabled: enabled ?? hb.enabled,
    };
    s.after(() => {
      if (n.state !== hb.state)
        this.log.info({ heartbeat: hb.name, kind: hb.kind, from: hb.state, to: n.state, event: ev.type }, 'heartbeat state changed');
      this.arm(after);
      for (const a of actions) if (a.type === 'page') this.announce(after, a.event, a.reason, hb.stateChangedAt);
      this.changed(after);
    });
    return after;
  }

  private arm(hb: Heartbeat): void {
    this.timers.get(hb.name)?.cancel();
    this.timers.delete(hb.name);
    if (!this.running || hb.dueAt === null) return;
    const delay = Math.min(Math.max(0, hb.dueAt - this.o.clock.now()), MAX_TIMER_MS);
    this.timers.set(
      hb.name,
      this.o.clock.setTimeout(() => this.onTimer(hb.name), delay),
    );
  }

  private onTimer(name: string): void {
    this.timers.delete(name);
    this.serial(async () => {
      let hb = await this.o.repo.get(name);
      // Zero grace (or a timer that fired late) can make the next deadline already due: take both steps now.
      for (let i = 0; hb && this.running && hb.dueAt !== null && hb.dueAt <= this.o.clock.now() && i < 2; i++)
        hb = await this.apply(hb, { type: 'due' });
      // A long deadline is reached in steps: not due yet, so wait again.
      if (hb && !this.timers.has(name)) this.arm(hb);
    }).catch((e: unknown) => this.log.error({ heartbeat: name, err: errorMessage(e) }, 'heartbeat timer failed'));
  }

  private announce(hb: Heartbeat, event: 'down' | 'recovered', reason: string, downSince: number): void {
    const emails = hb.page.length ? hb.page : [...(this.o.defaultPage ?? [])];
    const t = event === 'down' ? downTexts(hb, reason) : recoveredTexts(hb, reason, downSince);
    const log = this.log.child({ heartbeat: hb.name, event });
    if (!emails.length) log.error('heartbeat has nobody to page: set its page list or heartbeats.page');
    else {
      log.warn({ to: emails.map(maskEmail) }, event === 'down' ? 'paging: heartbeat down' : 'paging: heartbeat recovered');
      this.track(this.o.pager.page({ emails, title: t.title, text: t.text, heartbeat: hb, event })).catch((e: unknown) =>
        log.error({ err: errorMessage(e) }, 'heartbeat page failed'),
      );
    }
    if (this.o.alerter) {
      this.track(
        this.o.alerter.send({ alert_uid: alertUid(hb), title: t.title, message: t.text, state: event === 'down' ? 'alerting' : 'ok' }),
      ).catch((e: unknown) => log.error({ err: errorMessage(e) }, 'heartbeat alert failed'));
    }
  }

  private changed(hb: Heartbeat): void {
    try {
      this.o.onChange?.(hb);
    } catch (e) {
      this.log.error({ heartbeat: hb.name, err: errorMessage(e) }, 'heartbeat change listener threw');
    }
  }

  /** Runs fn after every earlier mutation; failures reach the caller but never break the chain. */
  private serial<T>(fn: () => Promise<T>): Promise<T> {
    const p = this.chain.then(fn);
    this.chain = p.then(
      () => undefined,
      () => undefined,
    );
    return this.track(p);
  }

  private track<T>(p: Promise<T>): Promise<T> {
    this.inflight.add(p);
    const done = () => void this.inflight.delete(p);
    p.then(done, done);
    return p;
  }
}
