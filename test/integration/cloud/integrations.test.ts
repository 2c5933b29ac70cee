import { expect } from 'chai';
import { startApp, RunningApp } from '../../helpers/app';
import { pyRequest, rawRequest } from '../../helpers/raw-http';

const D_BODY = 'type=formatted_webhook&name=OnCall+Cloud+Heartbeat+http%3A%2F%2Foncall-engine%3A8080';

describe('cloud contract: heartbeat integration and link', () => {
  let t: RunningApp;
  beforeEach(async () => {
    t = await startApp();
  });
  afterEach(() => t.close());

  const create = (body = D_BODY, token = 'cloud-token-1-0123456789', contentType?: string) =>
    rawRequest(t.port, pyRequest('POST', '/api/v1/integrations/', { token, body, contentType }));

  it('D: creates the integration with 201, an id ≤ 50 and an absolute heartbeat link ≤ 200 under the public URL', async () => {
    const r = await create();
    expect(r.status).to.equal(201);
    const body = r.json() as { id: string; name: string; type: string; link: string; heartbeat: { link: string } };
    expect(body.id).to.match(/^C[A-NP-Z1-9]{12}$/);
    expect(body.name).to.equal('OnCall Cloud Heartbeat http://oncall-engine:8080');
    expect(body.type).to.equal('formatted_webhook');
    expect(body.heartbeat.link).to.match(/^http:\/\/dozvon\.test:8080\/integrations\/v1\/formatted_webhook\/[A-Za-z0-9]{25}\/heartbeat\/$/);
    expect(body.heartbeat.link.startsWith(body.link)).to.equal(true);
    expect(body.heartbeat.link.length).to.be.at.most(200);
  });

  it('is idempotent by name: the same id and link again, one row', async () => {
    const a = (await create()).json() as { id: string; heartbeat: { link: string } };
    const b = await create();
    expect(b.status).to.equal(201);
    expect(b.json()).to.deep.include({ id: a.id, heartbeat: a.heartbeat });
    expect(await t.app.integrations.list()).to.have.length(1);
  });

  it("D': lookup by name (spaces as %20, ':' and '/' raw) returns exactly the integration", async () => {
    const a = (await create()).json() as { id: string };
    const r = await rawRequest(
      t.port,
      pyRequest('GET', '/api/v1/integrations/?name=OnCall%20Cloud%20Heartbeat%20http://oncall-engine:8080', {
        token: 'cloud-token-1-0123456789',
      }),
    );
    expect(r.status).to.equal(200);
    const body = r.json() as { count: number; next: null; results: { id: string; heartbeat: { link: string } }[] };
    expect(body.count).to.equal(1);
    expect(body.next).to.equal(null);
    expect(body.results[0].id).to.equal(a.id);
  });

  it('accepts JSON as well as form bodies', async () => {
    const r = await create(JSON.stringify({ type: 'formatted_webhook', name: 'json one' }), 'cloud-token-1-0123456789', 'application/json');
    expect(r.status).to.equal(201);
  });

  it('every 400 carries a JSON detail (missing name, unknown type, same name with another type)', async () => {
    const missing = await create('type=formatted_webhook');
    expect(missing.status).to.equal(400);
    expect(missing.json()).to.have.property('detail').that.includes('name');
    const badType = await create('type=bogus&name=x');
    expect(badType.status).to.equal(400);
    expect(badType.json()).to.have.property('detail');
    await create();
    const clash = await create('type=webhook&name=OnCall+Cloud+Heartbeat+http%3A%2F%2Foncall-engine%3A8080');
    expect(clash.status).to.equal(400);
    expect(clash.json()).to.deep.equal({ detail: 'Integration with this name already exists' });
  });

  it('a bad token → 403', async () => {
    const r = await create(D_BODY, 'wrong');
    expect(r.status).to.equal(403);
    expect(r.json()).to.deep.equal({ detail: 'Invalid token.' });
  });

  it('E: GET of the heartbeat link without auth → 200 ":)" and the ping is recorded with its time', async () => {
    const link = new URL(((await create()).json() as { heartbeat: { link: string } }).heartbeat.link);
    const r = await rawRequest(t.port, pyRequest('GET', link.pathname));
    expect(r.status).to.equal(200);
    expect(r.json()).to.equal(':)');
    const post = await rawRequest(t.port, pyRequest('POST', link.pathname.replace(/\/$/, ''), { body: '' }));
    expect(post.status).to.equal(200);
    expect(post.body).to.equal('');
    const hb = await t.app.db('heartbeats').where({ name: 'OnCall Cloud Heartbeat http://oncall-engine:8080' }).first();
    expect(hb.kind).to.equal('oncall');
    expect(hb.period_s + hb.grace_s).to.equal(600);
    expect(Number(hb.last_ping_at)).to.be.closeTo(Date.now(), 5000);
    const events = await t.app.db('heartbeat_events').where({ heartbeat_id: hb.id });
    expect(events.filter((e: { event: string }) => e.event === 'ping')).to.have.length(2);
    expect(hb.state).to.equal('up'); // the first ping arms the dead man's switch
  });

  it('an unknown heartbeat link → 403 with the cloud text (the engine then re-creates its integration)', async () => {
    await create();
    for (const path of [
      '/integrations/v1/formatted_webhook/AAAAAAAAAAAAAAAAAAAAAAAAA/heartbeat/',
      '/integrations/v1/formatted_webhook/x/heartbeat/',
      '/integrations/v1/webhook/AAAAAAAAAAAAAAAAAAAAAAAAA/heartbeat/',
    ]) {
      const r = await rawRequest(t.port, pyRequest('GET', path));
      expect(r.status, path).to.equal(403);
      expect(r.json()).to.equal('Integration key was not found. Permission denied.');
    }
  });
});

describe('cloud contract: path prefix in the public URL', () => {
  it('serves the contract under the prefix of DOZVON_PUBLIC_URL and at the root', async () => {
    const t = await startApp({ DOZVON_PUBLIC_URL: 'http://standin:8080/oncall/' });
    try {
      for (const path of ['/oncall/api/v1/info/', '/api/v1/info']) {
        const r = await rawRequest(t.port, pyRequest('GET', path, { token: 'cloud-token-1-0123456789' }));
        expect(r.status, path).to.equal(200);
        expect(r.json()).to.deep.equal({ url: 'http://standin:8080/oncall/' });
      }
      const created = await rawRequest(
        t.port,
        pyRequest('POST', '/oncall/api/v1/integrations/', { token: 'cloud-token-1-0123456789', body: D_BODY }),
      );
      const link = (created.json() as { heartbeat: { link: string } }).heartbeat.link;
      expect(link).to.match(/^http:\/\/standin:8080\/oncall\/integrations\/v1\/formatted_webhook\//);
      const ping = await rawRequest(t.port, pyRequest('GET', new URL(link).pathname));
      expect(ping.status).to.equal(200);
    } finally {
      await t.close();
    }
  });
});
