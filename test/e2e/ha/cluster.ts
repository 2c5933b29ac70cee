/**
 * A dozvon cluster for multi-instance tests and the HA benchmark: N real `dozvon serve`
 * processes on one fresh PostgreSQL database and one fake Asterisk in this process (each
 * instance registers its own Stasis app, as Asterisk requires of several ARI clients).
 */
import { openDb, Db } from '../../../src/db/knex';
import { migrate } from '../../../src/db/migrations';
import { UsersRepo } from '../../../src/directory/users-repo';
import { FakeAsterisk } from '../../fakes/asterisk';
import { makePgDatabase } from '../../helpers/pg';
import { spawnServe, waitExit, Served } from '../../helpers/spawn';

export interface Instance {
  name: string;
  served: Served;
  /** The instance id it logged (lease_owner / attempts.instance). */
  id: string;
  killed: boolean;
}

export interface HaCluster {
  db: Db;
  url: string;
  asterisk: FakeAsterisk;
  instances: Instance[];
  start(name: string): Promise<Instance>;
  kill9(i: Instance): Promise<number>;
  makeCall(i: Instance, email: string, message: string): Promise<number>;
  close(): Promise<void>;
}

export const TOKEN = 'ha-token-0123456789abcdef';

export interface ClusterOptions {
  instances: number;
  users: Array<{ email: string; phone: string }>;
  timeScale?: number;
  /** Extra environment for every instance, e.g. short leases (DOZVON_LEASE_MS, DOZVON_CLUSTER_LEASE_MS). */
  env?: Record<string, string>;
}

export async function startCluster(opts: ClusterOptions): Promise<HaCluster> {
  const pg = await makePgDatabase();
  const db = openDb({ client: 'pg', connection: pg.url }, { pgPoolMax: 4 });
  await migrate(db);
  const users = new UsersRepo(db);
  for (const u of opts.users)
    await users.create({ email: u.email, name: u.email.split('@')[0], phone: u.phone, channels: ['voice'] }, { lang: 'en' });
  const asterisk = await FakeAsterisk.start({ timeScale: opts.timeScale ?? 0.2 });
  const instances: Instance[] = [];
  const cluster: HaCluster = {
    db,
    url: pg.url,
    asterisk,
    instances,
    async start(name) {
      const served = await spawnServe(
        {
          DOZVON_DB: pg.url,
          DOZVON_CLOUD_TOKENS: TOKEN,
          DOZVON_ADMIN_TOKEN: 'ha-admin-token-0123456789',
          DOZVON_TTS: 'none',
          DOZVON_ARI_URL: asterisk.url,
          DOZVON_ARI_USER: asterisk.user,
          DOZVON_ARI_PASSWORD: asterisk.password,
          DOZVON_ARI_APP: `dozvon-${name}`,
          DOZVON_DIAL_TEMPLATE: 'PJSIP/{number}@trunk',
          DOZVON_LOG_LEVEL: 'info',
          ...opts.env,
        },
        30_000,
      );
      const m = /"instance":"([^"]+)"/.exec(served.output());
      const inst: Instance = { name, served, id: m ? m[1] : name, killed: false };
      instances.push(inst);
      return inst;
    },
    async kill9(i) {
      i.served.child.kill('SIGKILL');
      await waitExit(i.served.child);
      i.killed = true;
      return Date.now();
    },
    async makeCall(i, email, message) {
      const r = await fetch(`http://127.0.0.1:${i.served.port}/api/v1/make_call`, {
        method: 'POST',
        headers: { authorization: TOKEN, 'content-type': 'application/x-www-form-urlencoded' },
        body: `email=${encodeURIComponent(email)}&message=${encodeURIComponent(message)}`,
        signal: AbortSignal.timeout(5_000),
      });
      return r.status;
    },
    async close() {
      for (const i of instances) if (!i.killed) await cluster.kill9(i);
      await asterisk.close();
      await db.destroy();
      await pg.drop();
    },
  };
  for (let k = 0; k < opts.instances; k++) await cluster.start(String.fromCharCode(97 + k));
  return cluster;
}

/** Polls until fn returns a truthy value (real time: these are real processes). */
export async function until<T>(fn: () => Promise<T>, what: string, timeoutMs = 30_000): Promise<NonNullable<T>> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v as NonNullable<T>;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
