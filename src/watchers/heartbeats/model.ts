/** What a heartbeat is: the persisted record and the shapes shared by the machine, repo and service. */
import { ValidationError } from '../../core/errors';

export const HEARTBEAT_KINDS = ['oncall', 'opsgenie', 'healthchecks', 'alertmanager', 'peer'] as const;
export type HeartbeatKind = (typeof HEARTBEAT_KINDS)[number];

export const HEARTBEAT_STATES = ['new', 'up', 'late', 'down', 'paused'] as const;
export type HeartbeatState = (typeof HEARTBEAT_STATES)[number];

/** OnCall's cloud heartbeat: the engine pings every 3 min and the cloud alerts after 10. */
export const ONCALL_HEARTBEAT = { periodS: 180, graceS: 420 } as const;

/** Opsgenie-only fields kept so a GET returns what the sender created, as Opsgenie's own API does. */
export interface OpsgenieFields {
  intervalUnit?: 'minutes' | 'hours' | 'days';
  interval?: number;
  alertMessage?: string;
  alertTags?: string[];
  alertPriority?: 'P1' | 'P2' | 'P3' | 'P4' | 'P5';
  ownerTeam?: { id?: string; name?: string };
}

export interface Heartbeat {
  id: number;
  name: string;
  kind: HeartbeatKind;
  periodS: number;
  graceS: number;
  enabled: boolean;
  /** E-mails paged directly on down/recovery; empty means the configured default list. */
  page: string[];
  description: string | null;
  state: HeartbeatState;
  lastPingAt: number | null;
  stateChangedAt: number;
  /** When the next timed transition is due (up→late or late→down); null when none is. */
  dueAt: number | null;
  createdAt: number;
  options: OpsgenieFields;
}

export interface HeartbeatInput {
  name: string;
  kind: HeartbeatKind;
  periodS: number;
  graceS: number;
  enabled?: boolean;
  page?: string[];
  description?: string | null;
  options?: OpsgenieFields;
}

export type HeartbeatPatch = Partial<Omit<HeartbeatInput, 'name'>>;

export interface HeartbeatEvent {
  at: number;
  event: 'ping' | 'fail' | 'state' | 'start' | 'log';
  detail: string | null;
}

/** True while Opsgenie would call it expired: past its interval (late) or down. */
export function isExpired(hb: Pick<Heartbeat, 'state'>): boolean {
  return hb.state === 'late' || hb.state === 'down';
}

/** The message paged on expiry: Opsgenie's alertMessage if set, else "<name> is expired" as Opsgenie words it. */
export function alertTitle(hb: Pick<Heartbeat, 'name' | 'kind' | 'options'>): string {
  if (hb.options.alertMessage) return hb.options.alertMessage;
  if (hb.kind === 'oncall') return 'OnCall OSS engine heartbeat missing';
  return `${hb.name} is expired`;
}

/**
 * What a heartbeat may be, checked before anything is stored so SQLite and PostgreSQL answer the
 * same (PostgreSQL refuses a NUL or a name over its column, and an int4 period past 24 855 days;
 * SQLite would store them, and a period of years is a dead man's switch that never fires).
 */
export const HEARTBEAT_LIMITS = { nameMax: 200, descriptionMax: 500, periodMaxS: 365 * 86_400, graceMaxS: 7 * 86_400 } as const;

export function validateHeartbeat(input: Partial<HeartbeatInput>): void {
  const L = HEARTBEAT_LIMITS;
  if (input.name !== undefined) {
    if (input.name.trim() === '' || input.name.length > L.nameMax)
      throw new ValidationError(`name must be 1 to ${L.nameMax} characters`, 'name');
    if (input.name.includes('\u0000')) throw new ValidationError('name must not contain NUL characters', 'name');
  }
  if (input.periodS !== undefined && !(Number.isInteger(input.periodS) && input.periodS >= 1 && input.periodS <= L.periodMaxS)) {
    throw new ValidationError(`the period must be from 1 second to 365 days (${L.periodMaxS} s)`, 'period');
  }
  if (input.graceS !== undefined && !(Number.isInteger(input.graceS) && input.graceS >= 0 && input.graceS <= L.graceMaxS)) {
    throw new ValidationError(`the grace must be from 0 to 7 days (${L.graceMaxS} s)`, 'grace');
  }
  if (
    input.description !== undefined &&
    input.description !== null &&
    (input.description.length > L.descriptionMax || input.description.includes('\u0000'))
  ) {
    throw new ValidationError(`description must be at most ${L.descriptionMax} characters, without NUL`, 'description');
  }
  for (const e of input.page ?? [])
    if (e.length > 254 || e.includes('\u0000')) throw new ValidationError('page: not an e-mail address', 'page');
}
