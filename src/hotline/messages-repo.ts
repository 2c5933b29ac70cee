/** The hotline_messages table (migration 004): voicemail left when nobody on call answered. */
import type { Db } from '../db/knex';

export interface HotlineMessage {
  id: number;
  token: string;
  caller: string | null;
  userId: number | null;
  recordedAt: number;
  durationMs: number | null;
  contentType: string;
  incidentId: string | null;
  alertGroupId: string | null;
  alertUid: string;
}

export interface NewHotlineMessage extends Omit<HotlineMessage, 'id' | 'alertGroupId'> {
  audio: Buffer;
}

interface Row {
  id: number;
  token: string;
  caller: string | null;
  user_id: number | null;
  recorded_at: number | string;
  duration_ms: number | null;
  content_type: string;
  audio?: Buffer;
  incident_id: string | null;
  alert_group_id: string | null;
  alert_uid: string;
}

const META = [
  'id',
  'token',
  'caller',
  'user_id',
  'recorded_at',
  'duration_ms',
  'content_type',
  'incident_id',
  'alert_group_id',
  'alert_uid',
];

function toMessage(r: Row): HotlineMessage {
  return {
    id: r.id,
    token: r.token,
    caller: r.caller,
    userId: r.user_id,
    recordedAt: Number(r.recorded_at),
    durationMs: r.duration_ms,
    contentType: r.content_type,
    incidentId: r.incident_id,
    alertGroupId: r.alert_group_id,
    alertUid: r.alert_uid,
  };
}

export interface HotlineMessagesRepoOptions {
  /** How many days the retention sweep keeps a voicemail (retention.hotline_voicemail_days); 0 = for ever. */
  keepDays?: number;
}

export class HotlineMessagesRepo {
  constructor(
    private readonly db: Db,
    private readonly opts: HotlineMessagesRepoOptions = {},
  ) {}

  /** Days a message is kept before the retention sweep deletes it; 0 = for ever, null = not told. */
  keepDays(): number | null {
    return this.opts.keepDays ?? null;
  }

  async insert(m: NewHotlineMessage): Promise<HotlineMessage> {
    await this.db('hotline_messages').insert({
      token: m.token,
      caller: m.caller,
      user_id: m.userId,
      recorded_at: m.recordedAt,
      duration_ms: m.durationMs,
      content_type: m.contentType,
      audio: m.audio,
      incident_id: m.incidentId,
      alert_group_id: null,
      alert_uid: m.alertUid,
    });
    return (await this.byToken(m.token))!;
  }

  async byToken(token: string): Promise<HotlineMessage | null> {
    const r = (await this.db('hotline_messages').where({ token }).select(META).first()) as Row | undefined;
    return r ? toMessage(r) : null;
  }

  async audio(token: string): Promise<{ contentType: string; audio: Buffer } | null> {
    const r = (await this.db('hotline_messages').where({ token }).select('content_type', 'audio').first()) as
      Pick<Row, 'content_type' | 'audio'> | undefined;
    return r?.audio ? { contentType: r.content_type, audio: Buffer.from(r.audio) } : null;
  }

  /** Newest first, without the audio. */
  async listRecent(limit = 50): Promise<HotlineMessage[]> {
    const rows = (await this.db('hotline_messages').select(META).orderBy('id', 'desc').limit(limit)) as Row[];
    return rows.map(toMessage);
  }
}
