/**
 * Person or answering machine, as a pure function: talk events, digits and timer ticks in, the new
 * state and what to do out (no clock, no timers, no leg). The driver (watch.ts) arms one timer at
 * `wakeAt` and carries out the verdicts.
 *
 * Why these rules: a person answers with a short "hello?" and then listens; a mailbox talks on for
 * several seconds (its greeting, then the beep) and never presses a key. So a long stretch of talk,
 * or much talk in all soon after the answer, means a machine; a digit, silence, or only short talk
 * within the window means a person. Once a machine, we wait for its greeting to end (talk finished
 * plus a little quiet), bounded, before leaving the message, so the message lands after the beep.
 */

export interface DetectSettings {
  machineTalkMs: number;
  /** TALK_DETECT's silence threshold: Asterisk reports the end of talk only this long after it. */
  silenceMs: number;
  totalTalkMs: number;
  windowMs: number;
  endSilenceMs: number;
  maxGreetingMs: number;
}

export type DetectPhase = 'listening' | 'person' | 'greeting' | 'leave-message';

export interface DetectState {
  phase: DetectPhase;
  answeredAt: number;
  /** When the current stretch of talk began (null: quiet). */
  talkingSince: number | null;
  /** Talk heard in finished stretches so far. */
  talkedMs: number;
  /** When the verdict "machine" was reached (null before). */
  machineAt: number | null;
  /** Greeting phase: when the quiet after it is long enough to speak. */
  quietUntil: number | null;
  /** The one timer the driver keeps armed (null: none). */
  wakeAt: number | null;
}

export type DetectEvent =
  | { type: 'talk-start' }
  | { type: 'talk-end'; durationMs: number }
  | { type: 'digit' }
  /** The timer armed at `wakeAt` fired. */
  | { type: 'tick' };

export type DetectEffect =
  { type: 'person'; why: string } | { type: 'machine'; why: string; afterMs: number } | { type: 'leave-message'; why: string };

export interface DetectTransition {
  next: DetectState;
  effects: DetectEffect[];
}

export function startDetect(now: number, s: DetectSettings): DetectState {
  return {
    phase: 'listening',
    answeredAt: now,
    talkingSince: null,
    talkedMs: 0,
    machineAt: null,
    quietUntil: null,
    wakeAt: now + s.windowMs,
  };
}

export function nextDetect(st: DetectState, ev: DetectEvent, now: number, s: DetectSettings): DetectTransition {
  if (st.phase === 'person' || st.phase === 'leave-message') return { next: st, effects: [] };
  if (ev.type === 'digit') return person(st, 'a digit was pressed');
  return st.phase === 'listening' ? listening(st, ev, now, s) : greeting(st, ev, now, s);
}

function listening(st: DetectState, ev: Exclude<DetectEvent, { type: 'digit' }>, now: number, s: DetectSettings): DetectTransition {
  if (ev.type === 'talk-start') {
    const next = { ...st, talkingSince: st.talkingSince ?? now };
    return { next: { ...next, wakeAt: listeningWake(next, s) }, effects: [] };
  }
  if (ev.type === 'talk-end') {
    const talkedMs = st.talkedMs + Math.max(0, ev.durationMs);
    const next = { ...st, talkingSince: null, talkedMs };
    // The finished event comes a silence threshold after the talk: the greeting has ended already.
    if (ev.durationMs >= s.machineTalkMs) return machine(next, `talked ${ev.durationMs} ms without a pause`, now, s, true);
    if (talkedMs >= s.totalTalkMs) return machine(next, `talked ${talkedMs} ms in all`, now, s, true);
    if (now >= st.answeredAt + s.windowMs) return person(next, `only ${talkedMs} ms of talk within ${s.windowMs} ms`);
    return { next: { ...next, wakeAt: listeningWake(next, s) }, effects: [] };
  }
  // Talk that stopped less than a silence threshold ago is still "talking" to us: only what lies
  // further back is certain, or a person's two-second "hello, this is…" would look like a machine.
  const certain = st.talkingSince === null ? 0 : Math.max(0, now - st.talkingSince - s.silenceMs);
  if (certain >= s.machineTalkMs) return machine(st, `talking for ${certain} ms without a pause`, now, s, false);
  if (st.talkedMs + certain >= s.totalTalkMs) return machine(st, `talked ${st.talkedMs + certain} ms in all`, now, s, false);
  // A stretch that began inside the window is judged to its end: a verdict halfway through it would be a guess.
  if (st.talkingSince === null && now >= st.answeredAt + s.windowMs)
    return person(st, st.talkedMs === 0 ? 'silent: listening' : `only ${st.talkedMs} ms of talk within ${s.windowMs} ms`);
  return { next: { ...st, wakeAt: listeningWake(st, s) }, effects: [] };
}

/** The earliest moment a verdict could change without another event. */
function listeningWake(st: DetectState, s: DetectSettings): number {
  const windowEnd = st.answeredAt + s.windowMs;
  if (st.talkingSince === null) return windowEnd;
  const longRun = st.talkingSince + s.silenceMs + s.machineTalkMs;
  const enough = st.talkingSince + s.silenceMs + (s.totalTalkMs - st.talkedMs);
  return Math.min(longRun, enough);
}

function greeting(st: DetectState, ev: Exclude<DetectEvent, { type: 'digit' }>, now: number, s: DetectSettings): DetectTransition {
  const deadline = (st.machineAt ?? now) + s.maxGreetingMs;
  if (now >= deadline) return leave(st, `greeting still going after ${s.maxGreetingMs} ms`);
  if (ev.type === 'talk-start') return { next: { ...st, talkingSince: now, quietUntil: null, wakeAt: deadline }, effects: [] };
  if (ev.type === 'talk-end') {
    const quietUntil = now + s.endSilenceMs;
    if (s.endSilenceMs === 0) return leave(st, 'greeting ended');
    return { next: { ...st, talkingSince: null, quietUntil, wakeAt: Math.min(quietUntil, deadline) }, effects: [] };
  }
  if (st.quietUntil !== null && now >= st.quietUntil) return leave(st, 'greeting ended');
  return { next: { ...st, wakeAt: st.quietUntil === null ? deadline : Math.min(st.quietUntil, deadline) }, effects: [] };
}

function person(st: DetectState, why: string): DetectTransition {
  return { next: { ...st, phase: 'person', wakeAt: null }, effects: [{ type: 'person', why }] };
}

function machine(st: DetectState, why: string, now: number, s: DetectSettings, greetingOver: boolean): DetectTransition {
  const verdict: DetectEffect = { type: 'machine', why, afterMs: now - st.answeredAt };
  const next: DetectState = { ...st, phase: 'greeting', machineAt: now };
  if (!greetingOver) return { next: { ...next, wakeAt: now + s.maxGreetingMs }, effects: [verdict] };
  if (s.endSilenceMs === 0)
    return {
      next: { ...next, phase: 'leave-message', wakeAt: null },
      effects: [verdict, { type: 'leave-message', why: 'greeting ended' }],
    };
  const quietUntil = now + s.endSilenceMs;
  return { next: { ...next, talkingSince: null, quietUntil, wakeAt: quietUntil }, effects: [verdict] };
}

function leave(st: DetectState, why: string): DetectTransition {
  return { next: { ...st, phase: 'leave-message', wakeAt: null }, effects: [{ type: 'leave-message', why }] };
}
