/**
 * A heartbeat must be able to page someone. Every way of making one (the
 * service, the YAML declaration, the Opsgenie and healthchecks APIs) refuses a page list with
 * people outside the directory, or with nobody at all, and says who.
 */
import { secretFailureLimiter } from '../../../src/http/secret-limits';
import { CreateLimit } from '../../../src/heartbeats-api/create-limit';
import { expect } from 'chai';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { makeTestDb, TestDb } from '../../helpers/db';
import { FakeClock } from '../../fakes/clock';
import { silentLogger } from '../../../src/core/log';
import { UsersRepo } from '../../../src/directory/users-repo';
import {
  HeartbeatAdmin,
  HeartbeatService,
  HeartbeatsRepo,
  HeartbeatServiceOptions,
  usersDirectory,
} from '../../../src/watchers/heartbeats';
import { AuditRepo } from '../../../src/audit';
import { heartbeatsCheck } from '../../../src/watchers/checks/factories';
import { createHttpApp } from '../../../src/http/server';
import { healthchecksRouter, opsgenieRouter } from '../../../src/heartbeats-api';
import { FakePager } from '../../unit/watchers/fakes';

const KEY = 'page-list-test-key';

describe('heartbeats refuse page lists that page no one', () => {
  let t: TestDb;
  let svc: HeartbeatService;
  const build = async (extra: Partial<HeartbeatServiceOptions> = {}) => {
    svc = new HeartbeatService({
      repo: new HeartbeatsRepo(t.db),
      clock: new FakeClock(),
      logger: silentLogger(),
      pager: new FakePager(),
      directory: usersDirectory(new UsersRepo(t.db)),
      ...extra,
    });
    await svc.start();
    return svc;
  };

  beforeEach(async () => {
    t = await makeTestDb();
    await new UsersRepo(t.db).create({ email: 'ops@example.com', name: 'Ops', phone: '+15550001111' }, { lang: 'en' });
  });
  afterEach(async () => {
    await svc?.stop();
    await t.close();
  });

  it('create: unknown people are named; an empty list without a default is refused; known people (any case) pass', async () => {
    await build();
    await expectRefused(
      svc.create({
        name: 'backup',
        kind: 'healthchecks',
        periodS: 60,
        graceS: 0,
        page: ['ops@example.com', 'nobody@example.com', 'ghost@example.com'],
      }),
      /backup.*not in the directory: nobody@example\.com, ghost@example\.com/,
    );
    await expectRefused(
      svc.create({ name: 'backup', kind: 'healthchecks', periodS: 60, graceS: 0 }),
      /backup.*would page no one.*heartbeats\.page/,
    );
    expect(await svc.list()).to.have.length(0);
    expect(
      (await svc.create({ name: 'backup', kind: 'healthchecks', periodS: 60, graceS: 0, page: ['OPS@example.com'] })).page,
    ).to.deep.equal(['OPS@example.com']);
  });

  it('the default list counts when the heartbeat has none, and must itself name known people', async () => {
    await build({ defaultPage: ['ops@example.com'] });
    await svc.create({ name: 'a', kind: 'healthchecks', periodS: 60, graceS: 0 });
    await svc.stop();
    await build({ defaultPage: ['typo@example.com'] });
    await expectRefused(
      svc.create({ name: 'b', kind: 'healthchecks', periodS: 60, graceS: 0 }),
      /heartbeats\.page names people not in the directory: typo@example\.com/,
    );
  });

  it('update: a new page list is checked too', async () => {
    await build();
    await svc.create({ name: 'backup', kind: 'healthchecks', periodS: 60, graceS: 0, page: ['ops@example.com'] });
    await expectRefused(svc.update('backup', { page: ['nobody@example.com'] }), /nobody@example\.com/);
    expect((await svc.get('backup'))!.page).to.deep.equal(['ops@example.com']);
  });

  it('declare: a declaration that pages no one is refused (the others apply) and the heartbeats self-check says why', async () => {
    const declared = [
      { name: 'nightly', kind: 'healthchecks' as const, every: 86400, grace: 3600, page: ['nobody@example.com'] },
      { name: 'backup', kind: 'healthchecks' as const, every: 3600, grace: 0, page: ['ops@example.com'] },
    ];
    await build({ declared });
    expect((await svc.list()).map((h) => h.name)).to.deep.equal(['backup']);
    expect(svc.refusedDeclarations()).to.deep.equal([
      'heartbeat "nightly": not in the directory: nobody@example.com (add them with "dozvon users add" or correct the address)',
    ]);
    const outcome = await heartbeatsCheck(svc).run(AbortSignal.timeout(1000));
    expect(outcome.ok).to.equal(false);
    expect(outcome.detail).to.include('nightly').and.include('nobody@example.com');
  });

  describe('over HTTP', () => {
    let server: Server;
    let url: string;
    beforeEach(async () => {
      await build();
      const deps = {
        service: svc,
        admin: new HeartbeatAdmin({ service: svc, audit: new AuditRepo(t.db, Date.now) }),
        keys: [KEY],
        logger: silentLogger(),
        keyFailures: secretFailureLimiter(Date.now),
        createLimit: new CreateLimit(svc, 100),
      };
      const app = createHttpApp({
        logger: silentLogger(),
        mounts: [
          { path: '/', router: opsgenieRouter(deps) },
          { path: '/', router: healthchecksRouter(deps) },
        ],
      });
      server = await new Promise((resolve) => {
        const s = app.listen(0, '127.0.0.1', () => resolve(s));
      });
      url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    });
    afterEach(() => new Promise<void>((resolve) => server.close(() => resolve())));

    it('Opsgenie create answers 422 naming the problem; healthchecks ?create=1 answers 400; nothing is stored', async () => {
      const og = await fetch(`${url}/v2/heartbeats`, {
        method: 'POST',
        headers: { authorization: `GenieKey ${KEY}`, 'content-type': 'application/json' },
        body: JSON.stringify({ name: 'api-made', interval: 5, intervalUnit: 'minutes', enabled: true }),
      });
      expect(og.status).to.equal(422);
      expect(((await og.json()) as { message: string }).message).to.match(/api-made.*would page no one/);
      const hc = await fetch(`${url}/ping/cron-made?create=1`, { headers: { authorization: `Bearer ${KEY}` } });
      expect(hc.status).to.equal(400);
      expect(await hc.text()).to.match(/cron-made.*would page no one/);
      expect(await svc.list()).to.have.length(0);
    });
  });
});

async function expectRefused(p: Promise<unknown>, message: RegExp): Promise<void> {
  let err: unknown = null;
  try {
    await p;
  } catch (e) {
    err = e;
  }
  expect(err, 'expected a refusal').to.be.instanceOf(Error);
  expect((err as Error & { code?: string }).code).to.equal('invalid');
  expect((err as Error).message).to.match(message);
}
