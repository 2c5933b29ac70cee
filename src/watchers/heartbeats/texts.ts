/** What people hear and read when a heartbeat dies or comes back. Short: it may be read out by TTS. */
import { formatSeconds } from '../duration';
import { alertTitle, Heartbeat } from './model';

const KIND_LABEL: Record<Heartbeat['kind'], string> = {
  oncall: 'OnCall engine',
  opsgenie: 'Opsgenie-style',
  healthchecks: 'healthchecks-style',
  alertmanager: 'Alertmanager Watchdog',
  peer: 'peer dozvon',
};

function when(ms: number | null): string {
  return ms === null ? 'never' : new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export function downTexts(hb: Heartbeat, reason: string): { title: string; text: string } {
  return {
    title: alertTitle(hb),
    text:
      `Heartbeat ${hb.name} (${KIND_LABEL[hb.kind]}) is down: ${reason}. ` +
      `Last ping: ${when(hb.lastPingAt)}. Expected every ${formatSeconds(hb.periodS)}` +
      (hb.graceS > 0 ? ` with ${formatSeconds(hb.graceS)} grace.` : '.'),
  };
}

export function recoveredTexts(hb: Heartbeat, reason: string, downSince: number): { title: string; text: string } {
  return {
    title: `${hb.name} is back up`,
    text: `Heartbeat ${hb.name} (${KIND_LABEL[hb.kind]}) recovered: ${reason}. It was down since ${when(downSince)}.`,
  };
}

/** One OnCall alert group per heartbeat: the same uid raises and resolves it. */
export function alertUid(hb: Pick<Heartbeat, 'name'>): string {
  return `dozvon-heartbeat-${hb.name}`;
}
