/**
 * The heartbeat state machine as a pure function: no clock, no database, no timers.
 * The service loads a heartbeat, calls next(), persists the result in one transaction and
 * then carries out the actions (arm the timer at `dueAt`, page, raise the OnCall alert).
 */
import type { HeartbeatEvent, HeartbeatState } from './model';

export interface MachineState {
  state: HeartbeatState;
  lastPingAt: number | null;
  dueAt: number | null;
  periodS: number;
  graceS: number;
}

export type MachineEvent =
  | { type: 'ping'; source: string }
  /** healthchecks `/fail` or a non-zero exit status: down at once. */
  | { type: 'fail'; reason: string }
  /** The timer armed at `dueAt` fired. */
  | { type: 'due' }
  | { type: 'pause' }
  | { type: 'resume' }
  /** dozvon (re)started at `now`: our own downtime must not count against the sender. */
  | { type: 'restart' }
  /** Period or grace changed: recompute the deadline from the last ping. */
  | { type: 'reconfigure' };

export type MachineAction = { type: 'page'; event: 'down' | 'recovered'; reason: string } | { type: 'record'; record: HeartbeatEvent };

export interface Transition {
  next: MachineState & { stateChangedAt: number | null };
  actions: MachineAction[];
}

export function next(s: MachineState, ev: MachineEvent, now: number): Transition {
  const keep = (actions: MachineAction[] = []): Transition => ({ next: { ...s, stateChangedAt: null }, actions });
  const go = (state: HeartbeatState, patch: Partial<MachineState>, actions: MachineAction[], why: string): Transition => ({
    next: { ...s, ...patch, state, stateChangedAt: state === s.state ? null : now },
    actions: [...actions, ...(state === s.state ? [] : [stateRecord(s.state, state, why, now)])],
  });
  const periodMs = s.periodS * 1000;
  const graceMs = s.graceS * 1000;

  switch (ev.type) {
    case 'ping': {
      const rec: MachineAction = { type: 'record', record: { at: now, event: 'ping', detail: ev.source } };
      if (s.state === 'paused') return { next: { ...s, lastPingAt: now, stateChangedAt: null }, actions: [rec] };
      const page: MachineAction[] = s.state === 'down' ? [{ type: 'page', event: 'recovered', reason: `ping from ${ev.source}` }] : [];
      return go('up', { lastPingAt: now, dueAt: now + periodMs }, [rec, ...page], `ping from ${ev.source}`);
    }
    case 'fail': {
      const rec: MachineAction = { type: 'record', record: { at: now, event: 'fail', detail: ev.reason } };
      if (s.state === 'paused' || s.state === 'down') return keep([rec]);
      return go('down', { dueAt: null }, [rec, { type: 'page', event: 'down', reason: ev.reason }], ev.reason);
    }
    case 'due': {
      if (s.dueAt === null || now < s.dueAt) return keep();
      if (s.state === 'up') return go('late', { dueAt: s.dueAt + graceMs }, [], 'no ping within the period');
      if (s.state === 'late') {
        const reason = `no ping for ${describeSince(s.lastPingAt, now)}`;
        return go('down', { dueAt: null }, [{ type: 'page', event: 'down', reason }], reason);
      }
      return keep();
    }
    case 'pause':
      if (s.state === 'paused') return keep();
      return go('paused', { dueAt: null }, [], 'paused');
    case 'resume':
      if (s.state !== 'paused') return keep();
      // A fresh window from the resume: the time spent paused is not the sender's fault.
      if (s.lastPingAt === null) return go('new', { dueAt: null }, [], 'resumed');
      return go('up', { dueAt: now + periodMs }, [], 'resumed');
    case 'restart':
      if ((s.state === 'up' || s.state === 'late') && s.dueAt !== null && s.dueAt <= now) {
        // The deadline passed while dozvon itself was down: give the sender a full grace window from our start.
        const why = 'deadline passed while dozvon was not running: grace restarted';
        const rec: MachineAction[] = s.state === 'late' ? [{ type: 'record', record: { at: now, event: 'state', detail: why } }] : [];
        return go('late', { dueAt: now + graceMs }, rec, why);
      }
      return keep();
    case 'reconfigure':
      if (s.lastPingAt === null) return keep();
      if (s.state === 'up') return { next: { ...s, dueAt: s.lastPingAt + periodMs, stateChangedAt: null }, actions: [] };
      if (s.state === 'late') return { next: { ...s, dueAt: s.lastPingAt + periodMs + graceMs, stateChangedAt: null }, actions: [] };
      return keep();
  }
}

function stateRecord(from: HeartbeatState, to: HeartbeatState, why: string, now: number): MachineAction {
  return { type: 'record', record: { at: now, event: 'state', detail: `${from} → ${to}: ${why}`.slice(0, 500) } };
}

function describeSince(lastPingAt: number | null, now: number): string {
  if (lastPingAt === null) return 'ever';
  const s = Math.round((now - lastPingAt) / 1000);
  if (s < 120) return `${s}s`;
  if (s < 7200) return `${Math.round(s / 60)} min`;
  return `${(s / 3600).toFixed(1)} h`;
}
