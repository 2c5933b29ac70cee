/** `dozvon call`, `dozvon check`, `dozvon heartbeats …`: operator commands beside a running server. */
import type { Config } from '../config';
import { Out, EXIT, table } from './output';
import { openCliDb } from './db';
import { SystemClock } from '../core/clock';
import { silentLogger } from '../core/log';
import { buildSenders } from '../senders';
import { HttpOnCallClient } from '../oncall/index';
import { buildTts } from '../tts/index';
import { cliActor } from './audit';
import { AuditRepo } from '../audit';
import type { Db } from '../db/knex';
import { HeartbeatAdmin, HeartbeatsRepo, HeartbeatService, usersDirectory } from '../watchers/heartbeats';
import { checkEvery, checkGrace, checkHeartbeatName, checkKind, checkPageEmails, isDeclared } from '../watchers/heartbeats/fields';
import { UsersRepo } from '../directory/users-repo';
import { ValidationError } from '../core/errors';
import { runChecksOnce } from '../watchers/checks/check';
import { selfCheckList, ariHttpCheck, serverTrunksCheck } from '../compose/checks';

export function localServer(config: Config): string {
  const host = config.listen.host === '0.0.0.0' || config.listen.host === '::' ? '127.0.0.1' : config.listen.host;
  return `http://${host.includes(':') ? `[${host}]` : host}:${config.listen.port}`;
}

export async function testCall(
  config: Config,
  flags: { to: string; text: string; server?: string; wait?: string },
  out: Out,
): Promise<number> {
  if (!config.adminToken) {
    out.error('DOZVON_ADMIN_TOKEN must be set: the test call is placed by the running server through its admin API');
    return EXIT.config;
  }
  const server = flags.server ?? localServer(config);
  const wait = flags.wait ? Number(flags.wait) : 180;
  out.progress(0, 1, `calling ${flags.to} through ${server}…`);
  let r: Response;
  try {
    r = await fetch(`${server}/api/admin/test-call`, {
      method: 'POST',
      headers: { authorization: `Bearer ${config.adminToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ email: flags.to, text: flags.text, wait_seconds: wait }),
      signal: AbortSignal.timeout((wait + 15) * 1000),
    });
  } catch (e) {
    out.error(`dozvon serve is not reachable at ${server}: ${(e as Error).message}`);
    return EXIT.failure;
  }
  const body = (await r.json().catch(() => ({}))) as Record<string, unknown> & { attempts?: Record<string, unknown>[] };
  if (r.status !== 200) {
    out.error(String(body.detail ?? `server answered ${r.status}`));
    return r.status === 400 || r.status === 404 ? EXIT.usage : EXIT.failure;
  }
  const attempts = body.attempts ?? [];
  const human = [
    `${body.state}: ${body.reason ?? 'still in progress'}`,
    attempts.length ? table(attempts, ['started_at', 'outcome', 'cause', 'digits', 'action', 'result']) : 'no attempt yet',
  ].join('\n');
  out.print(human, body);
  return body.state === 'delivered' ? EXIT.ok : EXIT.failure;
}

export async function checkOnce(config: Config, out: Out, create = false): Promise<number> {
  const clock = new SystemClock();
  const logger = silentLogger();
  const db = await openCliDb(config, { create });
  const senders = buildSenders(config.sections.senders, { clock, logger });
  try {
    const oncall = config.oncall ? new HttpOnCallClient({ baseUrl: config.oncall.url, token: config.oncall.token, clock, logger }) : null;
    const tts = buildTts(config.tts, { publicUrl: config.publicUrl, logger, clock, fqdnRegex: config.fqdnRegex });
    const checks = selfCheckList({
      db,
      telephony: ariHttpCheck(config.ari, { server: localServer(config) }),
      senders,
      oncall,
      tts,
      heartbeats: new HeartbeatsRepo(db),
    }).concat(serverTrunksCheck(localServer(config)));
    const results = await runChecksOnce(checks, { clock, timeoutMs: 10_000 });
    // Only "down" fails: degraded (it works with less), unchecked (nothing to probe) and not configured are not emergencies.
    const down = results.filter((r) => r.state === 'down');
    out.print(
      table(
        results.map((r) => ({ check: r.name, state: r.state === 'down' ? 'DOWN' : r.state, detail: r.detail })),
        ['check', 'state', 'detail'],
      ),
      { ok: down.length === 0, results },
    );
    return down.length ? EXIT.failure : EXIT.ok;
  } finally {
    await senders.close();
    await db.destroy();
  }
}

export async function heartbeatsAdd(
  config: Config,
  name: string,
  flags: { every: string; grace?: string; page?: string; kind?: string },
  out: Out,
  create = false,
): Promise<number> {
  const every = checkEvery(flags.every);
  if (!every.ok) return usage(out, `--every ${every.problem.message}`);
  const grace = checkGrace(flags.grace);
  if (!grace.ok) return usage(out, `--grace ${grace.problem.message}`);
  const named = checkHeartbeatName(name);
  if (!named.ok) return usage(out, named.problem.message);
  const listed = checkPageEmails(
    (flags.page ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean),
  );
  if (!listed.ok) return usage(out, `--page: ${listed.problem.message}`);
  const page = listed.value;
  const kind = checkKind(flags.kind ?? 'healthchecks');
  if (!kind.ok) return usage(out, `--kind ${kind.problem.message}`);
  const db = await openCliDb(config, { create });
  try {
    const { service, admin } = cliHeartbeats(config, db);
    if (await service.get(name)) {
      out.error(`a heartbeat named ${name} already exists`);
      return EXIT.failure;
    }
    let hb;
    try {
      // The page list is refused now, with the names, rather than found out at expiry when nobody is paged.
      hb = await admin.create(cliActor(), { name, kind: kind.value, periodS: every.value, graceS: grace.value, page });
    } catch (e) {
      if (e instanceof ValidationError) return usage(out, e.message);
      throw e;
    }
    const ping = new URL(`ping/${encodeURIComponent(name)}`, config.publicUrl).toString();
    out.print(
      `added heartbeat ${hb.name}: every ${hb.periodS}s, grace ${hb.graceS}s, pages ${page.join(', ') || 'the default list'}\nping it: curl -fsS -H "Authorization: GenieKey <key>" ${ping}`,
      { heartbeat: hb, ping_url: ping },
    );
    return EXIT.ok;
  } finally {
    await db.destroy();
  }
}

export async function heartbeatsList(config: Config, out: Out, create = false): Promise<number> {
  const db = await openCliDb(config, { create });
  try {
    const list = await new HeartbeatsRepo(db).list();
    const rows = list.map((h) => ({
      name: h.name,
      kind: h.kind,
      state: h.state,
      every: `${h.periodS}s`,
      grace: `${h.graceS}s`,
      last_ping: h.lastPingAt ? new Date(h.lastPingAt).toISOString() : 'never',
      page: h.page,
    }));
    out.print(rows.length ? table(rows, ['name', 'kind', 'state', 'every', 'grace', 'last_ping', 'page']) : 'no heartbeats', {
      count: rows.length,
      results: list,
    });
    return EXIT.ok;
  } finally {
    await db.destroy();
  }
}

/** Deletes a heartbeat and its history. One declared in the config file is removed there, not here. */
export async function heartbeatsRemove(config: Config, name: string, out: Out, create = false): Promise<number> {
  if (isDeclared(config.sections.heartbeats?.declare, name)) {
    return usage(
      out,
      `heartbeat "${name}" is declared in the config file (heartbeats.declare): remove it there, or it comes back at the next start`,
    );
  }
  const db = await openCliDb(config, { create });
  try {
    const { service, admin } = cliHeartbeats(config, db);
    if (!(await service.get(name))) {
      out.error(`no heartbeat named ${name}`);
      return EXIT.failure;
    }
    await admin.remove(cliActor(), name);
    out.print(`removed heartbeat ${name}`, { removed: name });
    return EXIT.ok;
  } finally {
    await db.destroy();
  }
}

/**
 * Pauses or resumes a heartbeat through the watcher's own state machine, so the history records
 * it. The running server's heartbeat leader rescans the table and arms the resumed deadline.
 */
export async function heartbeatsPause(config: Config, name: string, pause: boolean, out: Out, create = false): Promise<number> {
  const db = await openCliDb(config, { create });
  try {
    const { service, admin } = cliHeartbeats(config, db);
    const before = await service.get(name);
    if (!before) {
      out.error(`no heartbeat named ${name}`);
      return EXIT.failure;
    }
    if ((before.state === 'paused') === pause) {
      out.print(`heartbeat ${name} is already ${pause ? 'paused' : 'running'} (${before.state})`, { heartbeat: before });
      return EXIT.ok;
    }
    const hb = pause ? await admin.pause(cliActor(), name) : await admin.resume(cliActor(), name);
    const due = hb.dueAt === null ? '' : `; next deadline ${new Date(hb.dueAt).toISOString()}`;
    out.print(`${pause ? 'paused' : 'resumed'} heartbeat ${name}: ${hb.state}${due}`, { heartbeat: hb });
    return EXIT.ok;
  } finally {
    await db.destroy();
  }
}

/**
 * The heartbeat service as a command runs it: never started (the running server's heartbeat
 * leader rescans the table and arms the timers), with the server's page-list check, and
 * auditing as the account that ran the command.
 */
function cliHeartbeats(config: Config, db: Db): { service: HeartbeatService; admin: HeartbeatAdmin } {
  const service = new HeartbeatService({
    repo: new HeartbeatsRepo(db),
    clock: new SystemClock(),
    logger: silentLogger(),
    pager: { page: async () => undefined },
    defaultPage: config.sections.heartbeats?.page ?? [],
    directory: usersDirectory(new UsersRepo(db)),
  });
  return { service, admin: new HeartbeatAdmin({ service, audit: new AuditRepo(db, Date.now) }) };
}

function usage(out: Out, message: string): number {
  out.error(message);
  return EXIT.usage;
}

/** `dozvon users verify <email>`: the running server sends the code (SMS or call) or checks one. */
export async function usersVerify(
  config: Config,
  email: string,
  flags: { sms?: boolean; call?: boolean; code?: string; server?: string; wait?: boolean; phone?: string },
  out: Out,
): Promise<number> {
  if (flags.sms && flags.call) return usage(out, 'choose --sms or --call, not both');
  if (flags.code !== undefined && !/^\d{6}$/.test(flags.code)) return usage(out, '--code must be the 6 digits that were sent');
  if (!config.adminToken) {
    out.error('DOZVON_ADMIN_TOKEN must be set: the code is sent by the running server through its admin API');
    return EXIT.config;
  }
  const server = flags.server ?? localServer(config);
  const body = flags.code
    ? { code: flags.code }
    : { method: flags.sms ? 'sms' : flags.call ? 'call' : undefined, wait: Boolean(flags.wait), phone: flags.phone };
  let r: Response;
  try {
    r = await fetch(`${server}/api/admin/users/${encodeURIComponent(email)}/verify`, {
      method: 'POST',
      headers: { authorization: `Bearer ${config.adminToken}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(flags.wait ? 200_000 : 30_000),
    });
  } catch (e) {
    out.error(`dozvon serve is not reachable at ${server}: ${(e as Error).message}`);
    return EXIT.failure;
  }
  const data = (await r.json().catch(() => ({}))) as Record<string, unknown>;
  if (flags.code) {
    out.print(
      data.status === 'ok' ? `${email}: number verified` : `${email}: ${data.status} (${data.attempts_left ?? 0} tries left)`,
      data,
    );
    return data.status === 'ok' ? EXIT.ok : EXIT.failure;
  }
  if (r.status === 429) return (out.error(String(data.detail)), 75);
  if (r.status === 404 || r.status === 400) return usage(out, String(data.detail ?? data.error));
  if (r.status !== 200) {
    out.error(String(data.detail ?? `server answered ${r.status}`));
    return r.status === 503 ? 75 : EXIT.failure;
  }
  const outcome = data.outcome as string | null;
  out.print(`code sent to ${email} by ${data.method}, valid until ${data.expires_at}${outcome ? `; call: ${outcome}` : ''}`, data);
  return outcome && outcome !== 'verified' ? EXIT.failure : EXIT.ok;
}
