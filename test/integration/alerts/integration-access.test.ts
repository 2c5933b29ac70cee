/** Integration keys' access rights as stored, on SQLite and PostgreSQL, and for keys made before rights existed. */
import { expect } from 'chai';
import { forEachDb, type AnyTestDb } from '../../helpers/pg';
import { allMigrations, migrate } from '../../../src/db/migrations';
import { IntegrationsService, parseAccess } from '../../../src/alerts/integrations';
import { AuditRepo } from '../../../src/audit';

forEachDb('integration access rights', (make) => {
  let t: AnyTestDb;
  let s: IntegrationsService;
  beforeEach(async () => {
    t = await make();
    s = new IntegrationsService(t.db, new AuditRepo(t.db, () => 1000), () => 1000);
  });
  afterEach(() => t.close());

  it('keeps the rights a key was made with, read,write by default, and audits them', async () => {
    const ro = await s.create('ann', { name: 'grafana-read', defaultTeam: null, rules: [], access: ['read'] });
    const all = await s.create('ann', { name: 'am', defaultTeam: null, rules: [] });
    expect((await s.verify([ro.key]))!.access).to.deep.equal(['read']);
    expect((await s.verify([all.key]))!.access).to.deep.equal(['read', 'write']);
    const audit = (await t.db('audit_log').where({ action: 'integration.create' }).orderBy('id')) as { detail: string }[];
    expect(audit.map((a) => JSON.parse(a.detail).access)).to.deep.equal([['read'], ['read', 'write']]);
  });

  it('migration 021 lets keys made before it keep reading and writing', async () => {
    const m = allMigrations().find((x) => x.name === '021_integration_access')!;
    await m.down(t.db);
    await t.db('dozvon_migrations').where({ name: m.name }).delete();
    await t.db('alert_integrations').insert({
      id: 'old-1',
      name: 'old',
      key_hash: 'ab'.repeat(32),
      key_hint: 'abab',
      default_team: null,
      rules: '[]',
      created_at: 1,
      revoked_at: null,
    });
    expect(await migrate(t.db)).to.deep.equal(['021_integration_access']);
    expect((await s.list()).map((i) => [i.name, i.access])).to.deep.equal([['old', ['read', 'write']]]);
  });
});

describe('parseAccess', () => {
  it('reads a comma list into the canonical order and refuses unknown or empty lists', () => {
    expect(parseAccess('write, READ')).to.deep.equal(['read', 'write']);
    expect(parseAccess('read')).to.deep.equal(['read']);
    expect(parseAccess('delete')).to.equal(null);
    expect(parseAccess(' , ')).to.equal(null);
  });
});
