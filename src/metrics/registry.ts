/**
 * Prometheus metrics; the only file that imports prom-client. One `Registry` per Metrics
 * instance (never prom-client's global default), so two apps in one test process do not share
 * counters. Label values go through a LabelGuard: bounded, never an email or a phone number.
 */
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import { monitorEventLoopDelay, IntervalHistogram } from 'node:perf_hooks';
import { LabelGuard, cleanDigit, hostLabel } from './labels';
import { DeliveryMetrics } from './delivery';

/** Queue depth per notification state, read from the database on each scrape. */
export type QueueDepthFn = () => Promise<Record<string, number>>;

export interface MetricsOptions {
  queueDepth?: QueueDepthFn;
  /** Deadline for the queue-depth query during a scrape; a slow DB must not hang Prometheus. */
  collectTimeoutMs?: number;
  /** Sampling resolution of the event-loop delay monitor. */
  eventLoopResolutionMs?: number;
  /** Makes the event-loop delay monitor; a test passes a fake to control what it saw. */
  eventLoopMonitor?: (resolutionMs: number) => LoopMonitor;
  /** Distinct values kept per label before new ones are folded into `other`. */
  maxLabelValues?: number;
}

/** What the event-loop gauge reads from Node's IntervalHistogram (nanoseconds). */
export type LoopMonitor = Pick<IntervalHistogram, 'enable' | 'disable' | 'percentile' | 'max' | 'reset'>;

/** States always exported (as 0 when empty) so dashboards and alerts see the series from the start. */
const QUEUE_STATES = ['pending', 'active', 'delivered', 'failed', 'cancelled'];
const HEARTBEAT_STATES = ['new', 'up', 'late', 'down', 'paused'];

const DISPATCH_BUCKETS = [0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60, 120, 300];
const SETUP_BUCKETS = [1, 2, 5, 10, 15, 20, 25, 30, 45, 60];
/** Retry waits are policy-sized (15 s busy, 60 s otherwise) plus whatever held them longer. */
const RETRY_WAIT_BUCKETS = [1, 5, 10, 15, 20, 30, 45, 60, 75, 90, 120, 180, 300, 600];

export class Metrics {
  readonly registry = new Registry();
  /** Time to first ring, time to acknowledgement and the SLO counters. */
  readonly delivery: DeliveryMetrics;
  private readonly guard: LabelGuard;
  private readonly loop: LoopMonitor;
  private readonly heartbeatStates = new Map<string, string>();
  /** The queue-depth read of the scrape in progress (it never rejects). */
  private queueRead: Promise<void> = Promise.resolve();

  private readonly received: Counter<'kind' | 'source'>;
  private readonly finished: Counter<'kind' | 'outcome'>;
  private readonly attempts: Counter<'outcome' | 'cause'>;
  private readonly dispatch: Histogram<never>;
  private readonly retryWait: Histogram<never>;
  private readonly setup: Histogram<never>;
  private readonly digits: Counter<'digit'>;
  private readonly actions: Counter<'action' | 'result'>;
  private readonly heartbeat: Gauge<'name' | 'state'>;
  private readonly senderUp: Gauge<'sender'>;
  private readonly ariUp: Gauge<'server'>;
  private readonly collectFailures: Counter<'collector'>;
  private readonly retentionDeleted: Counter<'table'>;
  private readonly retentionSweep: Gauge<'result'>;
  private readonly speechFailures: Counter<never>;
  private readonly trunkCalls: Counter<'trunk' | 'outcome'>;
  private readonly trunkTests: Counter<'trunk' | 'result'>;
  private readonly trunkTestSuccess: Gauge<'trunk'>;
  private trunkStates: () => readonly { name: string; up: boolean }[] = () => [];

  constructor(private readonly opts: MetricsOptions = {}) {
    const registers = [this.registry];
    this.guard = new LabelGuard(opts.maxLabelValues ?? 64);
    this.delivery = new DeliveryMetrics(registers, this.guard);
    this.received = new Counter({
      name: 'dozvon_notifications_received_total',
      help: 'Notifications accepted into the queue, by kind and source.',
      labelNames: ['kind', 'source'],
      registers,
    });
    this.finished = new Counter({
      name: 'dozvon_notifications_finished_total',
      help: 'Notifications that reached a final state, by kind and outcome.',
      labelNames: ['kind', 'outcome'],
      registers,
    });
    this.attempts = new Counter({
      name: 'dozvon_call_attempts_total',
      help: 'Outbound call attempts, by outcome and hangup cause.',
      labelNames: ['outcome', 'cause'],
      registers,
    });
    this.dispatch = new Histogram({
      name: 'dozvon_dispatch_latency_seconds',
      help: 'Time from a page being received to its first call being originated (retries are in dozvon_retry_wait_seconds).',
      buckets: DISPATCH_BUCKETS,
      registers,
    });
    this.retryWait = new Histogram({
      name: 'dozvon_retry_wait_seconds',
      help: "Time from the end of a page's previous call to the origination of its retry.",
      buckets: RETRY_WAIT_BUCKETS,
      registers,
    });
    this.setup = new Histogram({
      name: 'dozvon_call_setup_seconds',
      help: 'Time from originate to answer.',
      buckets: SETUP_BUCKETS,
      registers,
    });
    this.digits = new Counter({
      name: 'dozvon_digits_pressed_total',
      help: 'DTMF digits pressed by callees, by digit.',
      labelNames: ['digit'],
      registers,
    });
    this.actions = new Counter({
      name: 'dozvon_actions_total',
      help: 'Menu actions run against OnCall, by action and result.',
      labelNames: ['action', 'result'],
      registers,
    });
    this.heartbeat = new Gauge({
      name: 'dozvon_heartbeat_state',
      help: '1 for the current state of each heartbeat, 0 for the others.',
      labelNames: ['name', 'state'],
      registers,
    });
    this.senderUp = new Gauge({
      name: 'dozvon_sender_up',
      help: '1 when the SMS/push sender passed its last health check, 0 when it failed or its latest sends failed; absent when it cannot be probed.',
      labelNames: ['sender'],
      registers,
    });
    this.retentionDeleted = new Counter({
      name: 'dozvon_retention_deleted_total',
      help: 'Rows deleted by the retention sweep, by table.',
      labelNames: ['table'],
      registers,
    });
    this.retentionSweep = new Gauge({
      name: 'dozvon_retention_last_sweep_timestamp_seconds',
      help: 'When the last retention sweep ended, by result (complete, or partial: rows left for the next sweep).',
      labelNames: ['result'],
      registers,
    });
    this.speechFailures = new Counter({
      name: 'dozvon_speech_playback_failures_total',
      help: 'Calls whose rendered speech Asterisk could not play (they went on with recorded prompts).',
      registers,
    });
    this.trunkCalls = new Counter({
      name: 'dozvon_calls_total',
      help: 'Dial legs by trunk and how they ended (a failed-over attempt counts one leg per trunk tried).',
      labelNames: ['trunk', 'outcome'],
      registers,
    });
    this.trunkTests = new Counter({
      name: 'dozvon_trunk_test_calls_total',
      help: 'Test calls on a timer, by trunk and result (ok, failed).',
      labelNames: ['trunk', 'result'],
      registers,
    });
    this.trunkTestSuccess = new Gauge({
      name: 'dozvon_trunk_test_last_success_timestamp_seconds',
      help: "When each trunk's test call last got an answer.",
      labelNames: ['trunk'],
      registers,
    });
    const trunkStates = () => this.trunkStates();
    const guard = this.guard;
    new Gauge({
      name: 'dozvon_trunk_up',
      help: '1 when the trunk carries calls; 0 while its breaker is open or its latest test call failed.',
      labelNames: ['trunk'],
      registers,
      collect() {
        for (const t of trunkStates()) this.set({ trunk: guard.value('trunk', t.name) }, t.up ? 1 : 0);
      },
    });
    this.ariUp = new Gauge({ name: 'dozvon_ari_up', help: '1 when the Asterisk ARI connection is up.', labelNames: ['server'], registers });

    const collectQueue = (g: Gauge<'state'>) => (this.queueRead = this.collectQueue(g));
    const queue = new Gauge({
      name: 'dozvon_queue_depth',
      help: 'Notifications in the queue by state (read from the database at scrape time).',
      labelNames: ['state'],
      registers,
      collect() {
        return collectQueue(this);
      },
    });
    for (const s of QUEUE_STATES) queue.set({ state: s }, 0);
    // prom-client reads all metrics concurrently: wait for the queue read so its failure shows in the same scrape.
    const queueRead = () => this.queueRead;
    this.collectFailures = new Counter({
      name: 'dozvon_metrics_collect_failures_total',
      help: 'Scrape-time collectors that failed or timed out (their last values are kept).',
      labelNames: ['collector'],
      registers,
      async collect() {
        await queueRead();
      },
    });

    // Percentiles over the interval since the previous scrape: the histogram is reset after each read.
    const resolutionMs = opts.eventLoopResolutionMs ?? 20;
    this.loop = (opts.eventLoopMonitor ?? ((resolution) => monitorEventLoopDelay({ resolution })))(resolutionMs);
    this.loop.enable();
    const loop = this.loop;
    // Node records the whole interval between samples (≈ the resolution on an idle loop), so
    // the delay is what exceeds the resolution.
    const baselineNs = resolutionMs * 1e6;
    new Gauge({
      name: 'dozvon_event_loop_delay_seconds',
      help: 'Event-loop delay since the previous scrape: p50, p99 and max.',
      labelNames: ['stat'],
      registers,
      collect() {
        const sec = (ns: number) => (Number.isFinite(ns) ? Math.max(0, ns - baselineNs) / 1e9 : 0);
        this.set({ stat: 'p50' }, sec(loop.percentile(50)));
        this.set({ stat: 'p99' }, sec(loop.percentile(99)));
        this.set({ stat: 'max' }, sec(loop.max));
        loop.reset();
      },
    });
  }

  notificationReceived(kind: string, source: string): void {
    this.received.inc({ kind: this.guard.value('received.kind', kind), source: this.guard.value('received.source', source) });
  }

  notificationFinished(kind: string, outcome: string): void {
    this.finished.inc({ kind: this.guard.value('finished.kind', kind), outcome: this.guard.value('finished.outcome', outcome) });
  }

  /** `cause` is the Q.850 number or its short name; null when there was none. */
  callAttempt(outcome: string, cause: string | number | null): void {
    this.attempts.inc({ outcome: this.guard.value('attempts.outcome', outcome), cause: this.guard.value('attempts.cause', cause) });
  }

  /** Received → first originate, in milliseconds of the app's clock. Negative spans (clock skew) are dropped. */
  dispatchLatency(receivedAtMs: number, originatedAtMs: number): void {
    const s = (originatedAtMs - receivedAtMs) / 1000;
    if (Number.isFinite(s) && s >= 0) this.dispatch.observe(s);
  }

  /** End of a page's previous call → originate of its retry, in milliseconds. */
  retryWaited(previousEndMs: number, originatedAtMs: number): void {
    const s = (originatedAtMs - previousEndMs) / 1000;
    if (Number.isFinite(s) && s >= 0) this.retryWait.observe(s);
  }

  /** Originate → answer, in milliseconds. */
  callSetup(originatedAtMs: number, answeredAtMs: number): void {
    const s = (answeredAtMs - originatedAtMs) / 1000;
    if (Number.isFinite(s) && s >= 0) this.setup.observe(s);
  }

  /** One digit, or a string of them (`"123#"`): each counts once. */
  /** Rendered speech could not be played on a call (it went on with prompts). */
  speechPlaybackFailed(): void {
    this.speechFailures.inc();
  }

  digitsPressed(digits: string): void {
    for (const d of digits) this.digits.inc({ digit: cleanDigit(d) });
  }

  actionResult(action: string, result: string): void {
    this.actions.inc({ action: this.guard.value('actions.action', action), result: this.guard.value('actions.result', result) });
  }

  /** A retention sweep ended (only on the instance holding the retention lease). */
  retentionSwept(counts: Record<string, number>, finishedAtMs: number, complete: boolean): void {
    for (const [table, n] of Object.entries(counts))
      if (n > 0) this.retentionDeleted.inc({ table: this.guard.value('retention.table', table) }, n);
    this.retentionSweep.set({ result: complete ? 'complete' : 'partial' }, finishedAtMs / 1000);
  }

  /** Sets the heartbeat's current state to 1 and its other states to 0. */
  heartbeatState(name: string, state: string): void {
    const n = this.guard.value('heartbeat.name', name);
    const st = this.guard.value('heartbeat.state', state);
    const states = HEARTBEAT_STATES.includes(st) ? HEARTBEAT_STATES : [...HEARTBEAT_STATES, st];
    for (const s of states) this.heartbeat.set({ name: n, state: s }, s === st ? 1 : 0);
    const previous = this.heartbeatStates.get(n);
    if (previous !== undefined && !states.includes(previous)) this.heartbeat.remove({ name: n, state: previous });
    this.heartbeatStates.set(n, st);
  }

  /** A deleted heartbeat stops being exported. */
  heartbeatRemoved(name: string): void {
    const n = this.guard.value('heartbeat.name', name);
    const previous = this.heartbeatStates.get(n);
    for (const s of new Set([...HEARTBEAT_STATES, ...(previous ? [previous] : [])])) this.heartbeat.remove({ name: n, state: s });
    this.heartbeatStates.delete(n);
    this.guard.forget('heartbeat.name', n);
  }

  /** `null` when nothing could be probed: no series beats a 1 that was never earned or a 0 that alerts for nothing. */
  senderHealth(sender: string, healthy: boolean | null): void {
    const labels = { sender: this.guard.value('sender', sender) };
    if (healthy === null) this.senderUp.remove(labels);
    else this.senderUp.set(labels, healthy ? 1 : 0);
  }

  /** `server` is host:port (kept as written: an address is not a phone number), never a URL with credentials. */
  ariHealth(server: string, healthy: boolean): void {
    this.ariUp.set({ server: this.guard.value('ari.server', server, hostLabel) }, healthy ? 1 : 0);
  }

  /** Where dozvon_trunk_up reads each trunk's state at scrape time (breakers change with time alone). */
  watchTrunks(states: () => readonly { name: string; up: boolean }[]): void {
    this.trunkStates = states;
  }

  trunkLegEnded(trunk: string, outcome: string): void {
    this.trunkCalls.inc({ trunk: this.guard.value('trunk', trunk), outcome: this.guard.value('trunk.outcome', outcome) });
  }

  trunkTestCall(trunk: string, ok: boolean, atMs: number): void {
    const t = this.guard.value('trunk', trunk);
    this.trunkTests.inc({ trunk: t, result: ok ? 'ok' : 'failed' });
    if (ok) this.trunkTestSuccess.set({ trunk: t }, atMs / 1000);
  }

  /** The exposition text (Prometheus text format 0.0.4). */
  async scrape(): Promise<{ contentType: string; body: string }> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }

  /** Stops the event-loop monitor; call on app stop. */
  stop(): void {
    this.loop.disable();
  }

  private async collectQueue(queue: Gauge<'state'>): Promise<void> {
    const fn = this.opts.queueDepth;
    if (!fn) return;
    const ms = this.opts.collectTimeoutMs ?? 2000;
    let timer: NodeJS.Timeout | undefined;
    try {
      const depth = await Promise.race([
        fn(),
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new Error(`queue depth: no answer within ${ms} ms`)), ms);
        }),
      ]);
      for (const s of QUEUE_STATES) queue.set({ state: s }, 0);
      for (const [state, n] of Object.entries(depth)) queue.set({ state: this.guard.value('queue.state', state) }, Number(n) || 0);
    } catch {
      // Keep the previous values and say so through a counter: a scrape must not fail because the DB is slow.
      this.collectFailures.inc({ collector: 'queue_depth' });
    } finally {
      if (timer) clearTimeout(timer);
    }
  }
}
