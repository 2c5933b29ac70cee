/** The self-checks (docs/heartbeats.md): ARI, each sender, OnCall, speech, database, heartbeats. */
import type { Db } from '../db/knex';
import { KvRepo } from '../db/kv-repo';
import type { Telephony } from '../telephony/types';
import type { SenderSet } from '../senders';
import type { OnCallClient } from '../oncall/index';
import type { TtsSystem } from '../tts/index';
import { Check, checkFrom, notConfigured } from '../watchers/checks/check';
import { describeNetError, httpStatusHint, netErrorCode } from '../core/net-hint';
import { heartbeatsCheck } from '../watchers/checks/factories';
import { speechCheck } from '../watchers/checks/speech';
import { KvReportedState, ReportedState } from '../watchers/checks/reported';
import { errorMessage } from '../core/errors';

export function telephonyCheck(telephony: Telephony): Check {
  return checkFrom('telephony', async () => {
    const h = telephony.health();
    // Running without Asterisk is a supported setup (pages go to SMS/push), not a failure.
    if (!h.configured) return notConfigured(h.message);
    return { ok: h.ok, detail: h.message };
  });
}

/**
 * For `dozvon check` next to a running server: ARI over plain HTTP, never a second event socket
 * for the app. Telephony is ok only when every Asterisk answers, our Stasis app is subscribed
 * there, and the running server (`server`, its /readyz) says it is the one connected: an app
 * held by another process, or no server at all, pages nobody.
 */
export function ariHttpCheck(
  ari: { urls: readonly string[]; user: string; password: string; app: string },
  opts: { server?: string } = {},
): Check {
  return checkFrom('telephony', async (signal) => {
    if (ari.urls.length === 0) return notConfigured('DOZVON_ARI_URL is empty: voice falls back to SMS/push');
    const auth = 'Basic ' + Buffer.from(`${ari.user}:${ari.password}`).toString('base64');
    const parts: string[] = [];
    let ok = true;
    for (const url of ari.urls) {
      const base = url.replace(/\/+$/, '').replace(/\/ari$/, '');
      try {
        const info = await fetch(`${base}/ari/asterisk/info`, { headers: { authorization: auth }, signal });
        if (!info.ok)
          throw new Error(`asterisk/info ${httpStatusHint(info.status, 'DOZVON_ARI_USER / DOZVON_ARI_PASSWORD against ari.conf')}`);
        const version = ((await info.json()) as { system?: { version?: string } }).system?.version ?? '?';
        const app = await fetch(`${base}/ari/applications/${encodeURIComponent(ari.app)}`, { headers: { authorization: auth }, signal });
        await app.arrayBuffer();
        if (app.status !== 200) ok = false;
        parts.push(
          `${new URL(base).host}: Asterisk ${version}, Stasis app ${ari.app} ${app.status === 200 ? 'subscribed' : app.status === 404 ? 'not subscribed: no dozvon is connected (is dozvon serve running?)' : `unknown (applications answered ${app.status})`}`,
        );
      } catch (e) {
        ok = false;
        if (signal.aborted) throw e;
        parts.push(
          `${safeHost(base)}: ${e instanceof Error && !netErrorCode(e) && e.message.startsWith('asterisk/info') ? e.message : describeNetError(e)}`,
        );
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
    return state === 'ok'
      ? { ok: true, detail: `dozvon serve at ${server}: connected` }
      : { ok: false, detail: `dozvon serve at ${server}: ${state}` };
  } catch (e) {
    if (signal.aborted) throw e;
    return {
      ok: false,
      detail: `dozvon serve at ${server} is not reachable (${describeNetError(e)}): cannot tell whether it holds the app`,
    };
  }
}

/**
 * For `dozvon check`: the trunks' breakers and test calls live in the running server, so this asks
 * its /readyz (`checks.trunks`). Down only when the server says every trunk is down.
 */
export function serverTrunksCheck(server: string): Check {
  return checkFrom('trunks', async (signal) => {
    try {
      const r = await fetch(`${server.replace(/\/+$/, '')}/readyz`, { signal });
      const state = ((await r.json().catch(() => null)) as { checks?: Record<string, string> } | null)?.checks?.trunks;
      if (state === undefined)
        return { ok: true, state: 'unchecked', detail: `dozvon serve at ${server} did not report trunks (HTTP ${r.status})` };
      if (state === 'ok') return { ok: true, detail: `dozvon serve at ${server}: every trunk carries calls` };
      if (state.startsWith('degraded: ')) return { ok: true, state: 'degraded', detail: state.slice('degraded: '.length) };
      return { ok: false, detail: state };
    } catch (e) {
      if (signal.aborted) throw e;
      return {
        ok: true,
        state: 'unchecked',
        detail: `dozvon serve at ${server} is not reachable (${describeNetError(e)}): breakers and test calls live there`,
      };
    }
  });
}

function safeHost(u: string): string {
  try {
    return new URL(u).host;
  } catch {
    return 'invalid URL';
  }
}

export function selfCheckList(p: {
  db: Db;
  telephony: Check;
  senders: SenderSet;
  oncall: OnCallClient | null;
  tts: TtsSystem;
  heartbeats: Parameters<typeof heartbeatsCheck>[0];
}): Check[] {
  const checks: Check[] = [
    checkFrom('database', async () => {
      await p.db.raw('select 1');
      return { ok: true, detail: 'answers' };
    }),
    p.telephony,
    speechCheck(p.tts),
    heartbeatsCheck(p.heartbeats),
  ];
  if (!p.oncall)
    checks.push(
      checkFrom('oncall', async () => notConfigured('DOZVON_ONCALL_URL is empty: no correlation, acknowledge or hotline list from OnCall')),
    );
  else {
    const client = p.oncall;
    checks.push(
      checkFrom('oncall', async (signal) => {
        try {
          await client.listAlertGroups({ state: 'new' }, { signal, retries: 0 });
          return { ok: true, detail: 'public API answers' };
        } catch (e) {
          const status = (e as { status?: unknown }).status;
          if (typeof status === 'number' && status >= 400)
            return { ok: false, detail: `OnCall public API ${httpStatusHint(status, 'DOZVON_ONCALL_TOKEN')}` };
          return { ok: false, detail: netErrorCode(e) ? `${errorMessage(e)}: ${describeNetError(e)}` : errorMessage(e) };
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
