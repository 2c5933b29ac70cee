/**
 * The limit check as a pure function: past send times + rules + now → allowed, or the
 * earliest moment a send would be allowed. No clock, no storage: callers pass the times
 * (from the attempts table) and decide whether to wait, bundle or fall back.
 */
import type { LimitChannel, Limits, Rule } from './rules';

export type RuleDecision = { allowed: true } | { allowed: false; waitUntil: number; rule: Rule };

export type Decision = { allowed: true } | { allowed: false; waitUntil: number; rule: Rule; scope: 'user' | 'global'; reason: string };

/** One rule: a send is allowed when fewer than `count` sends fall in the window ending now. */
export function evaluateRule(rule: Rule, sendTimes: readonly number[], now: number): RuleDecision {
  const inWindow = sendTimes.filter((t) => t > now - rule.windowMs).sort((a, b) => b - a);
  if (inWindow.length < rule.count) return { allowed: true };
  // The count-th most recent send is the one that has to leave the window.
  return { allowed: false, waitUntil: inWindow[rule.count - 1] + rule.windowMs, rule };
}

/** The strictest answer of several rules: allowed only when all allow; else the latest waitUntil. */
export function evaluateRules(rules: readonly Rule[], sendTimes: readonly number[], now: number): RuleDecision {
  let worst: RuleDecision = { allowed: true };
  for (const r of rules) {
    const d = evaluateRule(r, sendTimes, now);
    if (!d.allowed && (worst.allowed || d.waitUntil > worst.waitUntil)) worst = d;
  }
  return worst;
}

export interface SendHistory {
  channel: LimitChannel;
  now: number;
  /** This person's past sends on this channel (ms since epoch). */
  userSends: readonly number[];
  /** Every past send of every person and channel. */
  globalSends: readonly number[];
}

export function checkSend(limits: Limits, h: SendHistory): Decision {
  const user = evaluateRules(limits.perUser[h.channel], h.userSends, h.now);
  const global = evaluateRules(limits.global, h.globalSends, h.now);
  type Blocked = Extract<Decision, { allowed: false }>;
  const blocked: Blocked[] = [];
  if (!user.allowed) blocked.push({ ...user, scope: 'user', reason: `${h.channel} limit ${describeRule(user.rule)} per person` });
  if (!global.allowed) blocked.push({ ...global, scope: 'global', reason: `global send limit ${describeRule(global.rule)}` });
  if (!blocked.length) return { allowed: true };
  return blocked.reduce((a, b) => (b.waitUntil > a.waitUntil ? b : a));
}

export function describeRule(r: Rule): string {
  const w = r.windowMs;
  const unit = w % 3_600_000 === 0 ? `${w / 3_600_000}h` : w % 60_000 === 0 ? `${w / 60_000}m` : w % 1000 === 0 ? `${w / 1000}s` : `${w}ms`;
  return `${r.count}/${unit}`;
}

/**
 * The start times to count against the rules when a bundle (one call, one text) is recorded once
 * per page it carried: each bundle counts once, at its earliest record; records without a call id
 * count each on their own.
 */
export function oncePerBundle(records: readonly { callId: string | null; startedAt: number }[]): number[] {
  const byBundle = new Map<string, number>();
  records.forEach((a, i) => {
    const key = a.callId ?? `#${i}`;
    byBundle.set(key, Math.min(byBundle.get(key) ?? Infinity, a.startedAt));
  });
  return [...byBundle.values()];
}
