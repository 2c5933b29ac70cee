/**
 * Turns a queued page into what the engineer will hear: correlate it with its alert group,
 * summarise it in their language, and render the speech — as soon as it is queued, so the
 * phone is answered with audio already on disk. Results are kept briefly per notification
 * (a retry minutes later re-reads OnCall so the state and age are current).
 */
import type { Clock } from '../core/clock';
import type { Logger } from '../core/log';
import type { Notification } from '../db/notifications-repo';
import type { User } from '../directory/user';
import type { Correlator, CorrelationResult } from '../oncall/correlate';
import type { Enricher } from '../oncall/enrich';
import { parseMessage } from '../oncall/parse';
import { factsFromMessage, summarize } from '../oncall/summary';
import type { Tts } from '../tts/types';
import type { Preparer } from './voice-types';
import type { PreparedPage } from '../ivr/call-types';
import type { DialingState } from './dialing-gate';
import { Limiter } from '../tts/limiter';

const KEEP_MS = 30_000;
/**
 * Background preparations running at once. A burst of pages would otherwise start twenty
 * correlations, enrichments and renders together, all competing with the claims and originates
 * of the same burst for the event loop and the database; a call that needs its page now takes it
 * out of the line (prepare()).
 */
const WARM_AT_ONCE = 4;
/** Pages of people already listening, prepared at once beside the background line (see hurry()). */
const HURRIED_AT_ONCE = 4;
/** How long a hurried preparation holds its slot before it counts as waiting on the network. */
const SLOT_HOLD_MS = 100;

/** Pages that are read from their own record (dozvon's alerts) rather than correlated with OnCall. */
export interface OwnPageSpeech {
  /** What the call says, read when the call is prepared; null: not such a page. */
  text(n: Notification, lang: User['lang'], now: number): Promise<string | null>;
}

export interface PagePreparerDeps {
  correlator: Correlator;
  enricher: Enricher;
  tts: Tts;
  clock: Clock;
  logger: Logger;
  ownSpeech?: OwnPageSpeech;
  /** Background preparation starts only while no call is on its way to the originate. */
  dialing?: DialingState;
}

export class PagePreparer implements Preparer {
  private readonly memo = new Map<number, { at: number; page: Promise<PreparedPage> }>();
  /** Pages waiting for a background slot, in arrival order, with what their callers wait on. */
  private readonly waiting = new Map<number, { n: Notification; user: User; done: Deferred<PreparedPage> }>();
  /** Slots of the pages whose person is already listening (see hurry()). */
  private readonly hurriedLane = new Limiter(HURRIED_AT_ONCE);
  private warming = 0;
  private gateWaiter = false;
  /** Ends the background line's work at a stop: what is being prepared is abandoned, nothing new starts. */
  private readonly stopping = new AbortController();
  private idle: (() => void) | null = null;
  private drained: Promise<void> | null = null;

  constructor(private readonly deps: PagePreparerDeps) {}

  /**
   * `now`: prepared at once (a retry, which waits for it before dialling), leaving the line if
   * it waited in it. `in-turn`: a call that rings first takes its place in the background line,
   * so the preparation of a whole burst never runs all at once beside the burst's own dialling;
   * the phone rings for seconds and the greeting plays first, time enough for the line to move.
   */
  prepare(n: Notification, user: User, signal: AbortSignal, mode: 'now' | 'in-turn' = 'now'): Promise<PreparedPage> {
    const now = this.deps.clock.now();
    const hit = this.memo.get(n.id);
    if (hit && now - hit.at < KEEP_MS) return this.leaveLine(n.id, hit.page);
    if (mode === 'in-turn') return abortable(this.enqueue(n, user).promise, signal);
    const page = this.build(n, user, signal);
    this.memo.set(n.id, { at: now, page });
    for (const [id, m] of this.memo) if (now - m.at >= KEEP_MS) this.memo.delete(id);
    return this.leaveLine(n.id, page);
  }

  /** A page prepared (or being prepared) leaves the line; whoever waited on it there gets this result. */
  private leaveLine(id: number, page: Promise<PreparedPage>): Promise<PreparedPage> {
    const queued = this.waiting.get(id);
    this.waiting.delete(id);
    queued?.done.resolve(page);
    return page;
  }

  /**
   * Stops the background line before the database closes: the preparations under way are
   * aborted and waited for, and none starts after. A call's own preparation (`now`) is its
   * engine's, which stops first.
   */
  async stop(): Promise<void> {
    this.stopping.abort(new Error('stopping'));
    if (this.warming === 0) return;
    this.drained ??= new Promise<void>((resolve) => (this.idle = resolve));
    await this.drained;
  }

  /**
   * The person answered before this page was prepared: it leaves the line and is built now,
   * in a lane of its own, so it never waits behind background work. The lane has few slots: a
   * burst's phones are answered within the same few hundred milliseconds, and fifty
   * preparations started at once (requests to OnCall and to the speech service built, sent and
   * read) held the event loop while the other phones' answers waited on the socket for their
   * greeting. A preparation still running after SLOT_HOLD_MS gives its slot up: by then it is
   * waiting on a slow OnCall or speech service, which costs the event loop nothing, and the next
   * person should not wait for that answer too. The greeting plays for seconds meanwhile.
   */
  hurry(n: Notification, user: User, signal: AbortSignal): void {
    // A call that ended, or a stop, takes the page out of the lane's queue.
    const leave = AbortSignal.any([signal, this.stopping.signal]);
    void this.hurriedLane.run(() => this.buildHoldingSlot(n, user, signal), leave).catch(() => undefined);
  }

  /** Builds the page now; resolves once it is built or SLOT_HOLD_MS has passed, whichever is first. */
  private async buildHoldingSlot(n: Notification, user: User, signal: AbortSignal): Promise<void> {
    if (signal.aborted) return;
    const built = new AbortController();
    const page = this.prepare(n, user, signal, 'now')
      .catch(() => undefined)
      .finally(() => built.abort());
    await Promise.race([page, this.deps.clock.sleep(SLOT_HOLD_MS, built.signal).catch(() => undefined)]);
  }

  /** Starts preparing a just-queued page in the background (speech rendered before anyone calls). */
  warm(n: Notification, user: User): void {
    this.enqueue(n, user);
  }

  private enqueue(n: Notification, user: User): Deferred<PreparedPage> {
    let entry = this.waiting.get(n.id);
    if (!entry) this.waiting.set(n.id, (entry = { n, user, done: deferred() }));
    this.nextWarm();
    return entry.done;
  }

  private nextWarm(): void {
    if (this.stopping.signal.aborted) {
      if (this.warming === 0) this.idle?.();
      return;
    }
    const dialing = this.deps.dialing;
    if (dialing?.busy && this.waiting.size > 0) {
      if (!this.gateWaiter) {
        this.gateWaiter = true;
        dialing.whenOpen(() => {
          this.gateWaiter = false;
          this.nextWarm();
        });
      }
      return;
    }
    while (this.warming < WARM_AT_ONCE && this.waiting.size > 0) {
      const { n, user } = this.waiting.values().next().value!;
      this.warming++;
      // prepare() takes the page out of the line and hands its result to those waiting on it;
      // build() reports its own failures, and the slot is given back either way.
      void this.prepare(n, user, AbortSignal.any([AbortSignal.timeout(5_000), this.stopping.signal]))
        .catch(() => undefined)
        .finally(() => {
          this.warming--;
          this.nextWarm();
        });
    }
  }

  private async build(n: Notification, user: User, signal: AbortSignal): Promise<PreparedPage> {
    const log = this.deps.logger.child({ notification: n.id });
    const own = await this.ownText(n, user, log);
    if (own !== null) {
      await this.render(own, user, signal, log);
      return { notification: n, alertGroupId: null, correlation: 'none', text: own, lang: user.lang, summary: null };
    }
    let c: CorrelationResult;
    try {
      c = await this.deps.correlator.correlate(
        { message: n.message, alertGroupId: n.alertGroupId ?? undefined, email: n.email, receivedAt: n.receivedAt },
        signal,
      );
    } catch (e) {
      log.warn({ err: (e as Error).message }, 'correlation failed; reading the message as received');
      c = {
        alertGroupId: n.alertGroupId,
        correlation: n.alertGroupId ? 'exact' : 'none',
        parsed: parseMessage(n.message),
        via: 'none',
        reason: (e as Error).message,
      };
    }
    let summary;
    try {
      summary = await this.deps.enricher.summarize(c, this.deps.clock.now(), signal);
    } catch (e) {
      log.warn({ err: (e as Error).message }, 'enrichment failed; summarising the message alone');
      summary = summarize(factsFromMessage(c.parsed, c.correlation, null), this.deps.clock.now());
    }
    const text = summary.sentences[user.lang] || n.message;
    await this.render(text, user, signal, log);
    log.debug({ correlation: c.correlation, via: c.via }, 'page prepared');
    return { notification: n, alertGroupId: c.alertGroupId, correlation: c.correlation, text, lang: user.lang, summary };
  }

  /** Render now so the call finds the audio cached; a failure here is retried at call time. */
  private async render(text: string, user: User, signal: AbortSignal, log: Logger): Promise<void> {
    await this.deps.tts
      .render(text, user.lang, signal)
      .catch((e: unknown) => log.warn({ err: (e as Error).message }, 'speech not pre-rendered'));
  }

  /** A record that cannot be read falls back to the message as queued, which still says what it is. */
  private async ownText(n: Notification, user: User, log: Logger): Promise<string | null> {
    if (!this.deps.ownSpeech) return null;
    try {
      return await this.deps.ownSpeech.text(n, user.lang, this.deps.clock.now());
    } catch (e) {
      log.warn({ err: (e as Error).message }, 'own page could not be read; reading the message as queued');
      return null;
    }
  }
}

interface Deferred<T> {
  promise: Promise<T>;
  resolve(v: T | Promise<T>): void;
}

function deferred<T>(): Deferred<T> {
  let resolve!: (v: T | Promise<T>) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  // Nobody may be waiting (a warm-up alone): a failure is reported by build(), not as unhandled.
  promise.catch(() => undefined);
  return { promise, resolve };
}

/** The page's preparation as the caller sees it: abandoned when the caller's deadline passes, not stopped. */
function abortable<T>(p: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    p.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}
