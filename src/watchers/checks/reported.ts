/**
 * What the admins were last told about each self-check. Kept outside the process so a
 * restart, or another instance, neither repeats a failure nor forgets to report its recovery.
 */

export interface ReportedState {
  /** true: told healthy (or recovered); false: told failing; undefined: never told. */
  get(name: string): Promise<boolean | undefined>;
  set(name: string, ok: boolean): Promise<void>;
}

/** The slice of KvRepo this needs (src/db/kv-repo.ts). */
export interface KeyValueStore {
  get(key: string): Promise<string | null>;
  set(key: string, value: string): Promise<void>;
}

const PREFIX = 'selfcheck:reported:';

/** In the service-wide key-value table, one key per check: `selfcheck:reported:<name>` = ok | failing. */
export class KvReportedState implements ReportedState {
  constructor(private readonly kv: KeyValueStore) {}

  async get(name: string): Promise<boolean | undefined> {
    const v = await this.kv.get(PREFIX + name);
    if (v === 'ok') return true;
    if (v === 'failing') return false;
    return undefined;
  }

  async set(name: string, ok: boolean): Promise<void> {
    await this.kv.set(PREFIX + name, ok ? 'ok' : 'failing');
  }
}
