/**
 * When a person's next text message may go out: the SMS counterpart of voiceHold. Pure: the
 * engine passes the pages it is about to text about and the person's recent sent texts, and
 * gets "send now" or "not before T".
 *
 * - Texts to one person go out at least `gapMs` apart (20 s): everything that arrives in
 *   between joins the next message, so a storm of new incidents becomes a few bundles, not a
 *   message per alert, while a new incident still leaves within 30 s of arriving.
 * - A message that carries a page about an alert group this person has not been texted about
 *   within the limit window (or whose alert group is not known) is held by nothing else: the
 *   per-person allowance bounds repeats, never a new incident.
 * - A message made only of repeats (OnCall's policy texting again about the same incidents)
 *   waits `bundleMs` after the last text, so repeats bundle, and then for the per-person rules.
 */
import { describeRule, evaluateRules, oncePerBundle } from './evaluate';
import type { Rule } from './rules';

/** One SMS this person was sent: a bundle is one record per page it carried, sharing a callId. */
export interface TextSendRecord {
  callId: string | null;
  startedAt: number;
  alertGroupId: string | null;
}

export type TextHold = { until: number; kind: 'gap' | 'bundle' | 'repeat'; reason: string } | null;

export const TEXT_GAP_MS = 20_000;
export const TEXT_BUNDLE_MS = 2 * 60_000;

export function textHold(p: {
  rules: readonly Rule[];
  pages: readonly { alertGroupId: string | null }[];
  history: readonly TextSendRecord[];
  now: number;
  gapMs?: number;
  bundleMs?: number;
}): TextHold {
  const gapMs = p.gapMs ?? TEXT_GAP_MS;
  const bundleMs = p.bundleMs ?? TEXT_BUNDLE_MS;
  const last = p.history.reduce((m, a) => Math.max(m, a.startedAt), -Infinity);
  if (p.now - last < gapMs)
    return { until: last + gapMs, kind: 'gap', reason: `texts to one person go out at least ${Math.round(gapMs / 1000)} s apart` };
  const windowMs = Math.max(bundleMs, ...p.rules.map((r) => r.windowMs));
  const textedAbout = new Set(
    p.history.filter((a) => a.startedAt > p.now - windowMs && a.alertGroupId !== null).map((a) => a.alertGroupId as string),
  );
  if (p.pages.some((pg) => pg.alertGroupId === null || !textedAbout.has(pg.alertGroupId))) return null;
  if (p.now - last < bundleMs)
    return { until: last + bundleMs, kind: 'bundle', reason: 'repeat texts within 2 minutes of the last go out together' };
  // A bundle is one message: counted once.
  const d = evaluateRules(p.rules, oncePerBundle(p.history), p.now);
  if (d.allowed) return null;
  return {
    until: d.waitUntil,
    kind: 'repeat',
    reason: `sms limit ${describeRule(d.rule)} per person (repeat texts about incidents already texted about)`,
  };
}
