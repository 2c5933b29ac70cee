/** A verification rig: real SQLite file, real HTTP (the /verify page and the cloud users API), fake SMS gateway. */
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { express } from '../../../src/http/express';
import { loadConfig } from '../../../src/config';
import type { Clock } from '../../../src/core/clock';
import { silentLogger } from '../../../src/core/log';
import { UsersRepo } from '../../../src/directory/users-repo';
import { AuditRepo } from '../../../src/audit';
import { usersRouter } from '../../../src/cloud/users';
import { buildSenders, SenderSet } from '../../../src/senders';
import { createVerifyRouter, PhoneVerifier, CodeCaller } from '../../../src/verify';
import { makeTestDb, TestDb } from '../../helpers/db';
import { FakeSmsGateway } from '../../fakes/senders';

export const SECRET = 'verify-test-secret-0123456789';

export interface Rig {
  tdb: TestDb;
  users: UsersRepo;
  gw: FakeSmsGateway;
  senders: SenderSet;
  verifier: PhoneVerifier;
  base: string;
  close(): Promise<void>;
}

export async function makeRig(clock: Clock, opts: { caller?: CodeCaller | null } = {}): Promise<Rig> {
  const tdb = await makeTestDb();
  const users = new UsersRepo(tdb.db, () => clock.now());
  const gw = await FakeSmsGateway.start();
  const senders = buildSenders(
    { sms: [{ type: 'http', url: `${gw.url}/send`, body: '{"to":"{{to}}","text":"{{text}}"}' }] },
    { clock, logger: silentLogger() },
  );
  const publicUrl = 'http://dozvon.test:8080/';
  const verifier = new PhoneVerifier({
    db: tdb.db,
    users,
    clock,
    logger: silentLogger(),
    secret: SECRET,
    publicUrl,
    sms: senders,
    caller: opts.caller ?? null,
    audit: new AuditRepo(tdb.db, () => clock.now()),
  });
  const app = express();
  app.use('/verify', createVerifyRouter({ verifier, logger: silentLogger() }));
  app.use(usersRouter({ config: loadConfig({ env: { DOZVON_PUBLIC_URL: publicUrl } }), users }));
  const server: Server = app.listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    tdb,
    users,
    gw,
    senders,
    verifier,
    base,
    async close() {
      await verifier.stop();
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
      await gw.close();
      await tdb.close();
    },
  };
}

/** The code and the link out of the SMS the fake gateway captured. */
export function lastSms(gw: FakeSmsGateway): { to: string; text: string; code: string; link: string; token: string } {
  const body = gw.last().json as { to: string; text: string };
  const m = /code is (\d{6})\. Or open (\S+)$/.exec(body.text);
  if (!m) throw new Error(`no code in "${body.text}"`);
  const token = m[2].slice(m[2].lastIndexOf('/') + 1);
  return { to: body.to, text: body.text, code: m[1], link: m[2], token };
}

/** The link as served by the rig (the SMS carries the public URL). */
export function local(rig: Rig, link: string): string {
  return rig.base + new URL(link).pathname;
}

export function postCode(url: string, code: string, token?: string): Promise<Response> {
  const form: Record<string, string> = { code };
  if (token !== undefined) form.t = token;
  return fetch(url, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(form).toString(),
  });
}

export async function cloudVerified(rig: Rig, email: string): Promise<boolean> {
  const r = await fetch(`${rig.base}/api/v1/users?email=${encodeURIComponent(email)}&short=true`);
  const body = (await r.json()) as { results: { is_phone_number_verified: boolean }[] };
  if (body.results.length !== 1) throw new Error(`users API found ${body.results.length} users for ${email}`);
  return body.results[0].is_phone_number_verified;
}
