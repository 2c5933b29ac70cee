/**
 * The team page's form bodies read into the teams service's inputs. Only the shape is checked
 * here (numbers are numbers, a date is a date); the service validates the rest and names the field.
 */
import { DateTime } from 'luxon';
import { ValidationError } from '../../core/errors';
import type { PolicyInput, RotationInput, StepTargetInput } from '../../teams/input';
import { parseRestriction } from '../../teams/restriction-text';
import type { Words } from './texts';

export type Body = Record<string, unknown>;

export const text = (v: unknown, max = 2000) => (typeof v === 'string' ? v.trim().slice(0, max) : '');

/** A field sent once is a string, sent repeatedly an array: both read as a list. */
const list = (v: unknown): string[] => (Array.isArray(v) ? v : [v]).map((x) => text(x, 300));

function count(t: Words, v: unknown, field: string): number {
  const s = text(v, 10);
  if (!/^\d{1,5}$/.test(s)) throw new ValidationError(t('error.number', { field }), field);
  return Number(s);
}

export function localTime(t: Words, v: unknown, zone: string): number {
  const d = DateTime.fromISO(text(v, 40), { zone });
  if (!d.isValid) throw new ValidationError(t('error.time'));
  return d.toMillis();
}

export function rotationFromForm(t: Words, body: Body, zone: string): RotationInput {
  const unit = text(body.unit, 10);
  if (unit !== 'hours' && unit !== 'days' && unit !== 'weeks') throw new ValidationError(t('error.unit'), 'unit');
  const only = text(body.only, 500);
  return {
    name: text(body.name, 100),
    participants: list(body.participant).filter(Boolean),
    startsAt: localTime(t, body.start, zone),
    length: count(t, body.length, t('rotation.length')),
    unit,
    // Several windows in one field, as the CLI takes several --only.
    restrictions: only ? only.split(';').flatMap((w) => parseRestriction(w)) : [],
  };
}

function target(value: string): StepTargetInput | null {
  const i = value.indexOf(':');
  const kind = value.slice(0, i);
  const name = value.slice(i + 1);
  if (i < 0 || !name) return null;
  if (kind === 'user') return { kind, email: name };
  return kind === 'schedule' || kind === 'team' ? { kind, name } : null;
}

/** Rows without a target are the spare empty ones and are left out; a row with a target needs its minutes. */
export function policyFromForm(t: Words, body: Body): Omit<PolicyInput, 'team'> {
  const after = list(body.after);
  const targets = list(body.target);
  const steps: PolicyInput['steps'] = [];
  targets.forEach((value, i) => {
    if (!value) return;
    const to = target(value);
    if (!to) throw new ValidationError(t('error.target'), `steps.${i}.target`);
    steps.push({ afterMinutes: count(t, after[i], t('policy.after')), target: to });
  });
  if (!steps.length) throw new ValidationError(t('error.noSteps'), 'steps');
  return {
    name: text(body.name, 100),
    steps,
    // A cleared repeat field means no repeat, as the CLI's default does.
    repeat: count(t, text(body.repeat) || '0', t('policy.repeatCount')),
    repeatAfterMinutes: count(t, text(body.repeatAfter) || '0', t('policy.repeatAfter')),
  };
}
