/**
 * When a person's next call may start: limits that bound storms without holding back a new
 * incident. Pure: the engine passes the pages it is about to call about and the person's
 * recent voice attempts (from the attempts table), and gets "call now" or "not before T".
 *
 * - Calls to one person start at least `gapMs` apart (`limits.call_gap`, default 15 s: the busy
 *   retry interval, so the retry policy is never stretched). This is the ceiling no storm can
 *   pass. A call cut by a restart does not space the next one: it is placed again at once.
 * - Retries of an admitted page are never held beyond that, and never count against a limit.
 * - A page about an alert group this person has not been called about within the limit window
 *   (or whose alert group is not known) rings now: new incidents are not rate limited.
 * - Only a call made up entirely of new pages about incidents already called about (OnCall's
 *   notification policy repeating its "phone call" step, a webhook per escalation step) is held
 *   by the per-person voice rules, which count admissions: calls that carried a page's first
 *   attempt. Held pages join the next call.
 */
import { describeRule, evaluateRules, oncePerBundle } from './evaluate';
import type { Rule } from './rules';

/** Attempts that never reached the phone network: they neither space calls nor count. */
const NOT_PLACED = new Set(['unavailable', 'not-configured']);
/** A call cut by our own restart or a lost Asterisk is placed again at once (the retry policy's promise). */
const UNSPACED = new Set([...NOT_PLACED, 'interrupted']);

/** One voice attempt of this person, newest or oldest first (order does not matter). */
export interface VoiceAttemptRecord {
  callId: string | null;
  startedAt: number;
  outcome: string | null;
  /** The alert group of the attempt's page, when known. */
  alertGroupId: string | null;
  /** True when this attempt was the page's first voice attempt (its admission). */
  first: boolean;
}

export interface PageToCall {
  /** Earlier attempts of this page (0 = never called: a new page). */
  attempts: number;
  alertGroupId: string | null;
}

export type VoiceHold = { until: number; kind: 'gap' | 'repeat'; reason: string } | null;

export function voiceHold(p: {
  rules: readonly Rule[];
  gapMs: number;
  pages: readonly PageToCall[];
  history: readonly VoiceAttemptRecord[];
  now: number;
}): VoiceHold {
  const placed = p.history.filter((a) => a.outcome === null || !NOT_PLACED.has(a.outcome));
  const lastStart = placed
    .filter((a) => a.outcome === null || !UNSPACED.has(a.outcome))
    .reduce((m, a) => Math.max(m, a.startedAt), -Infinity);
  if (p.now - lastStart < p.gapMs)
    return { until: lastStart + p.gapMs, kind: 'gap', reason: `calls to one person start at least ${Math.round(p.gapMs / 1000)} s apart` };
  if (p.rules.length === 0 || p.pages.some((pg) => pg.attempts > 0)) return null;
  const windowMs = Math.max(...p.rules.map((r) => r.windowMs));
  const admissions = placed.filter((a) => a.first && a.startedAt > p.now - windowMs);
  const calledAbout = new Set(admissions.map((a) => a.alertGroupId).filter((g): g is string => g !== null));
  if (p.pages.some((pg) => pg.alertGroupId === null || !calledAbout.has(pg.alertGroupId))) return null;
  // A bundle is one call: counted once, by its earliest admission.
  const d = evaluateRules(p.rules, oncePerBundle(admissions), p.now);
  if (d.allowed) return null;
  return {
    until: d.waitUntil,
    kind: 'repeat',
    reason: `voice limit ${describeRule(d.rule)} per person (repeat pages about incidents already called about)`,
  };
}
