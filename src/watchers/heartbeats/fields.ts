/**
 * What an operator types for a heartbeat (`dozvon heartbeats add` flags, the console's form),
 * checked the same way in both places before the service's own checks (bounds, page list) run.
 * Each problem carries a code, for front ends that word it themselves, and the English message
 * the CLI prints after the flag's name.
 */
import { parseDuration } from '../duration';
import { hasBidiControl, NO_BIDI_MESSAGE } from '../../core/validate';
import type { HeartbeatKind } from './model';

/** The kinds an operator may create by hand, in the order the CLI lists them. */
export const OPERATOR_KINDS = ['healthchecks', 'opsgenie', 'alertmanager', 'peer', 'oncall'] as const satisfies readonly HeartbeatKind[];

export type FieldProblemCode = 'name' | 'not-duration' | 'not-email' | 'unknown-kind';

export interface FieldProblem {
  code: FieldProblemCode;
  /** The offending value (the address, the duration text, the kind). */
  value: string;
  message: string;
}

export type Checked<T> = { ok: true; value: T } | { ok: false; problem: FieldProblem };

const problem = (code: FieldProblemCode, value: string, message: string): { ok: false; problem: FieldProblem } => ({
  ok: false,
  problem: { code, value, message },
});

/** 1–200 characters, not starting with a space, no "/" (the name is a path segment of every ping URL). */
export function checkHeartbeatName(name: string): Checked<string> {
  if (!/^[^/\s][^/]{0,199}$/.test(name)) return problem('name', name, 'the name must be 1-200 characters without "/"');
  if (hasBidiControl(name)) return problem('name', name, `the name ${NO_BIDI_MESSAGE}`);
  return { ok: true, value: name };
}

/** The period: a duration of at least one second, in whole seconds. */
export function checkEvery(text: string): Checked<number> {
  const ms = parseDuration(text);
  if (ms === null || ms < 1000) return problem('not-duration', text, `"${text}" is not a duration of at least 1s (e.g. 5m)`);
  return { ok: true, value: Math.round(ms / 1000) };
}

/** The grace: any duration, zero when not given, in whole seconds. */
export function checkGrace(text: string | undefined): Checked<number> {
  if (text === undefined) return { ok: true, value: 0 };
  const ms = parseDuration(text);
  if (ms === null) return problem('not-duration', text, `"${text}" is not a duration (e.g. 1m)`);
  return { ok: true, value: Math.round(ms / 1000) };
}

/** Addresses as written; the directory check (page-list.ts) comes later, in the service. */
export function checkPageEmails(emails: readonly string[]): Checked<string[]> {
  const bad = emails.find((e) => !/^[^@\s]+@[^@\s]+$/.test(e));
  if (bad !== undefined) return problem('not-email', bad, `"${bad}" is not an email`);
  return { ok: true, value: [...emails] };
}

export function checkKind(kind: string): Checked<HeartbeatKind> {
  if (!(OPERATOR_KINDS as readonly string[]).includes(kind))
    return problem('unknown-kind', kind, `"${kind}" is not one of ${OPERATOR_KINDS.join(', ')}`);
  return { ok: true, value: kind as HeartbeatKind };
}

/** Declared in the config file: the file wins at every start, so edits elsewhere would not last. */
export function isDeclared(declared: readonly { name: string }[] | undefined, name: string): boolean {
  return (declared ?? []).some((d) => d.name === name);
}
