/** The self-checks (spec §7): ARI, each sender, OnCall, speech, database, heartbeats. */
import type { Db } from '../db/knex';
import { KvRepo } from '../db/kv-repo';
import type { Telephony } from '../telephony/types';
import type { SenderSet } from '../senders';
import type { OnCallClient } from '../oncall/index';
import type { TtsSystem } from '../tts/index';
import { Check, checkFrom } from '../watchers/checks/check';
import { heartbeatsCheck } from '../watchers/checks/factories';
import { speechCheck } from '../watchers/checks/speech';
import { KvReportedState, ReportedState } from '../watchers/checks/reported';
import { errorMessage } from '../core/errors';

export function telephonyCheck(telephony: Telephony): Check {
  return checkFrom('telephony', async () => {
    const h = telephony.health();
    // Running without Asterisk is a supported setup (pages go to SMS/push), not a failure.
    return { ok: h.ok || !h.configured, detail: h.message };
  });
}

/**
 * For `dozvon check` next to a running server: ARI over plain HTTP, never a second event socket
 * for the app. Telephony is ok only when every Asterisk answers, our Stasis app is subscribed
 * there, and the running server (`server`, its /readyz) says it is the one connected: an app
 * held by another process, or no server at all, pages nobody.
 */
export function ariHttpCheck(ari: { urls: readonly string[]; user: string; password: string; app: string }, opts: { server?: string } = {}): Check {
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
        await app.arrayBuffer();
        if (app.status !== 200) ok = false;
        parts.push(`${new URL(base).host}: Asterisk ${version}, Stasis app ${ari.app} ${app.status === 200 ? 'subscribed' : app.status === 404 ? 'not subscribed: no dozvon is connected (is dozvon serve running?)' : `unknown (applications answered ${app.status})`}`);
      } catch (e) {
        ok = false;
        parts.push(`${safeHost(base)}: ${errorMessage(e)}`);
      }
    }
    if (opts.server) {
      const server = await serverTelephony(opts.server, signal);
      if (!server.ok) ok = false;
      parts.push(server.detail);
    }
    return { ok, detail: parts.join('; ') };
  });
}

/** The running server's own view (GET /readyz, `checks.telephony`): is it the one holding the app? */
async function serverTelephony(server: string, signal: AbortSignal): Promise<{ ok: boolean; detail: string }> {
  try {
    const r = await fetch(`${server.replace(/\/+$/, '')}/readyz`, { signal });
    const body = (await r.json().catch(() => null)) as { checks?: Record<string, string> } | null;
    const state = body?.checks?.telephony;
    if (state === undefined) return { ok: false, detail: `dozvon serve at ${server} did not report telephony (HTTP ${r.status})` };
    return state === 'ok' ? { ok: true, detail: `dozvon serve at ${server}: connected` } : { ok: false, detail: `dozvon serve at ${server}: ${state}` };
  } catch (e) {
    if (signal.aborted) throw e;
    return { ok: false, detail: `dozvon serve at ${server} is not reachable (${errorMessage(e)}): cannot tell whether it holds the app` };
  }
}

function safeHost(u: string): string {
  try {
    return new URL(u).host;
  } catch {
    return 'invalid URL';
  }
}

export function selfCheckList(p: { db: Db; telephony: Check; senders: SenderSet; oncall: OnCallClient | null; tts: TtsSystem; heartbeats: Parameters<typeof heartbeatsCheck>[0] }): Check[] {
  const checks: Check[] = [
    checkFrom('database', async () => {
      await p.db.raw('select 1');
      return { ok: true, detail: 'answers' };
    }),
    p.telephony,
    speechCheck(p.tts),
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
