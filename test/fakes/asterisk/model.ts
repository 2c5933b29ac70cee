/** Channel objects and value formats exactly as Asterisk 22 puts them on the wire. */

export const ENTITY_ID = '02:fc:00:00:00:01';

/** "2026-11-21T16:22:54.869+0000": milliseconds, offset without a colon. */
export function asteriskTime(ms: number): string {
  return new Date(ms).toISOString().replace('Z', '+0000');
}

export const CAUSE_TEXT: Record<number, string> = {
  0: 'Unknown',
  1: 'Unallocated (unassigned) number',
  3: 'No route to destination',
  16: 'Normal Clearing',
  17: 'User busy',
  18: 'No user responding',
  19: 'User alerting, no answer',
  21: 'Call Rejected',
  26: 'Answered elsewhere',
  28: 'Invalid number format (addr incomplete)',
  31: 'Normal, unspecified',
  34: 'Circuit/channel congestion',
  38: 'Network out of order',
  58: 'Bearer capability not available',
  127: 'Interworking, unspecified',
};

/** `DELETE /channels/{id}?reason=` → cause, as `res/ari/resource_channels.c` maps it. */
export const REASON_CAUSE: Record<string, number> = {
  normal: 16,
  busy: 17,
  congestion: 34,
  no_answer: 19,
  timeout: 18,
  rejected: 21,
  unallocated: 1,
  normal_unspecified: 31,
  number_incomplete: 28,
  codec_mismatch: 58,
  interworking: 127,
  failure: 38,
  answered_elsewhere: 26,
};

export interface CallerId {
  name: string;
  number: string;
}

/** "OnCall <+15550001111>" → {name, number}; a bare number becomes the number. */
export function parseCallerId(raw: string | undefined): CallerId {
  if (!raw) return { name: '', number: '' };
  const m = /^\s*"?([^"<]*?)"?\s*<([^>]*)>\s*$/.exec(raw);
  if (m) return { name: m[1].trim(), number: m[2].trim() };
  return { name: '', number: raw.trim() };
}

export class FakeChannel {
  state = 'Down';
  language = 'en';
  caller: CallerId;
  connected: CallerId;
  dialplan: { context: string; exten: string; priority: number; app_name: string; app_data: string };
  readonly creationtime: string;
  /** The Stasis app that receives this channel's events, or null when nobody is subscribed. */
  app: string | null;
  inStasis = false;
  destroyed = false;
  /** Entered Stasis through the dialplan (inbound): StasisEnd is its last event. */
  viaDialplan = false;
  bridgeId: string | null = null;
  /** Media URIs played to this channel, in order. */
  readonly played: string[] = [];
  /** Plain channel variables set over ARI. */
  readonly variables = new Map<string, string>();

  constructor(
    readonly id: string,
    readonly name: string,
    opts: { app: string | null; caller: CallerId; context: string; exten: string; now: number },
  ) {
    this.app = opts.app;
    this.caller = { ...opts.caller };
    this.connected = { ...opts.caller };
    this.dialplan = { context: opts.context, exten: opts.exten, priority: 1, app_name: 'AppDial2', app_data: '(Outgoing Line)' };
    this.creationtime = asteriskTime(opts.now);
  }

  snapshot(): Record<string, unknown> {
    return {
      id: this.id,
      name: this.name,
      state: this.state,
      protocol_id: '',
      caller: { ...this.caller },
      connected: { ...this.connected },
      accountcode: '',
      dialplan: { ...this.dialplan },
      creationtime: this.creationtime,
      language: this.language,
    };
  }
}

/** Channel ids "<unix seconds>.<sequence>", with the `;2` half taking the next number. */
export class IdSource {
  private seq = 0;
  private localSeq = 0;
  private readonly base = Math.floor(Date.now() / 1000);

  channelId(): string {
    return `${this.base}.${this.seq++}`;
  }

  /** 8 hex digits for Local channel names: Local/1001@ctx-00000000;1 */
  localTag(): string {
    return (this.localSeq++).toString(16).padStart(8, '0');
  }
}

export type Endpoint =
  { tech: 'Local'; exten: string; context: string; number: string } | { tech: 'PJSIP' | 'SIP'; trunk: string; number: string };

/** Parses `Local/<exten>@<ctx>[/n]`, `PJSIP/<number>@<trunk>` and `PJSIP/<trunk>/sip:<number>@host`; null for an unknown technology. */
export function parseEndpoint(endpoint: string): Endpoint | null {
  const local = /^Local\/([^@/]+)@([^/]+)(\/n)?$/.exec(endpoint);
  if (local) return { tech: 'Local', exten: local[1], context: local[2], number: local[1] };
  const sipAt = /^(PJSIP|SIP)\/([^@/]+)@(.+)$/.exec(endpoint);
  if (sipAt) return { tech: sipAt[1] as 'PJSIP' | 'SIP', number: sipAt[2], trunk: sipAt[3] };
  const sipUri = /^(PJSIP|SIP)\/([^/]+)\/sip:([^@]+)@.+$/.exec(endpoint);
  if (sipUri) return { tech: sipUri[1] as 'PJSIP' | 'SIP', trunk: sipUri[2], number: sipUri[3] };
  return null;
}
