/** The self-checks (spec §7): ARI, each sender, OnCall, speech, database, heartbeats. */
import type { Db } from '../db/knex';
import { KvRepo } from '../db/kv-repo';
import type { Telephony } from '../telephony/types';
import type { SenderSet } from '../senders';
import type { OnCallClient } from '../oncall/index';
import type { TtsSystem } from '../tts/index';
import type { HeartbeatService } from '../watchers/heartbeats';
import { Check, checkFrom } from '../watchers/checks/check';
import { heartbeatsCheck } from '../watchers/checks/factories';
import { KvReportedState, ReportedState } from '../watchers/checks/reported';
import { errorMessage } from '../core/errors';

export function telephonyCheck(telephony: Telephony): Check {
  return checkFrom('telephony', async () => {
    const h = telephony.health();
    // Running without Asterisk is a supported setup (pages go to SMS/push), not a failure.
    return { ok: h.ok || !h.configured, detail: h.message };
  });
}

/** For `dozvon check` next to a running server: ARI over plain HTTP, never a second event socket for the app. */
export function ariHttpCheck(ari: { urls: readonly string[]; user: string; password: string; app: string }): Check {
  return checkFrom('telephony', async (signal) => {
    if (ari.urls.length === 0) return { ok: true, detail: 'not configured (DOZVON_ARI_URL is empty): voice falls back to SMS/push' };
    const auth = 'Basic ' + Buffer.from(`${ari.user}:${ari.password}`).toString('base64');
    const parts: string[] = [];
    let ok = true;
    for (const url of ari.urls) {
      const base = url.replace(/\/+$/, '').replace(/\/ari$/, '');
      try {
        const info = await fetch(`${base}/ari/asterisk/info`, { headers: { authorization: auth }, signal });
        if (!info.ok) throw new Error(`asterisk/info answered ${info.status}`);
        const version = ((await info.json()) as { system?: { version?: string } }).system?.version ?? '?';
        const app = await fetch(`${base}/ari/applications/${encodeURIComponent(ari.app)}`, { headers: { authorization: auth }, signal });
        parts.push(`${new URL(base).host}: Asterisk ${version}, app ${ari.app} ${app.ok ? 'registered by a running dozvon' : 'not registered (is dozvon serve running?)'}`);
      } catch (e) {
        ok = false;
        parts.push(`${safeHost(base)}: ${errorMessage(e)}`);
      }
    }
    return { ok, detail: parts.join('; ') };
  });
}

function safeHost(u: string): string {
  try {
    return new URL(u).host;
  } catch {
    return 'invalid URL';
  }
}

export function selfCheckList(p: { db: Db; telephony: Check; senders: SenderSet; oncall: OnCallClient | null; tts: TtsSystem; heartbeats: Pick<HeartbeatService, 'list'> }): Check[] {
  const checks: Check[] = [
    checkFrom('database', async () => {
      await p.db.raw('select 1');
      return { ok: true, detail: 'answers' };
    }),
    p.telephony,
    checkFrom('speech', async (signal) => {
      const h = await p.tts.health(signal);
      return { ok: h.ok, detail: h.engines.map((e) => `${e.engine}: ${e.ok ? 'ok' : (e.detail ?? 'failing')}`).join('; ') };
    }),
    heartbeatsCheck(p.heartbeats),
  ];
  if (p.oncall) {
    const client = p.oncall;
    checks.push(
      checkFrom('oncall', async (signal) => {
        try {
          await client.listAlertGroups({ state: 'new' }, { signal, retries: 0 });
          return { ok: true, detail: 'public API answers' };
        } catch (e) {
          return { ok: false, detail: errorMessage(e) };
        }
      }),
    );
  }
  for (const s of p.senders.all()) checks.push(checkFrom(`sender:${s.name}`, (signal) => s.health(signal)));
  return checks;
}

/** What admins were told about each check, in the database: SelfChecks' `reported` option. */
export function selfCheckReports(db: Db, now: () => number): ReportedState {
  return new KvReportedState(new KvRepo(db, now));
}
