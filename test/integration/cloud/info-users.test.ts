import { expect } from 'chai';
import { startApp, RunningApp } from '../../helpers/app';
import { pyRequest, rawRequest } from '../../helpers/raw-http';

describe('cloud contract: info and users', () => {
  let t: RunningApp;
  before(async () => {
    t = await startApp();
    const add = (email: string, name: string, extra: Record<string, unknown> = {}) =>
      t.app.users.create({ email, name, ...extra }, { lang: 'en' });
    await add('alice@example.com', 'Alice', { phone: '+15550001111', role: 'admin' });
    await add('a+b@x.com', 'Plus', { phone: '+15550002222' });
    await add('viewer@example.com', 'Viewer', { phone: '+15550003333', role: 'viewer' });
    await add('nophone@example.com', 'No Phone');
    for (let i = 0; i < 150; i++) await add(`bulk${i}@example.com`, `Bulk ${i}`, { phone: `+1555100${String(i).padStart(4, '0')}` });
  });
  after(() => t.close());

  it('A: GET api/v1/info/ with AUTHORIZATION → 200 {url} ending in /', async () => {
    const r = await rawRequest(
      t.port,
      pyRequest('GET', '/api/v1/info/', { token: 'cloud-token-1-0123456789', authHeader: 'AUTHORIZATION' }),
    );
    expect(r.status).to.equal(200);
    expect(r.json()).to.deep.equal({ url: 'http://dozvon.test:8080/' });
  });

  it('info answers without the trailing slash too, and never redirects', async () => {
    const r = await rawRequest(t.port, pyRequest('GET', '/api/v1/info', { token: 'cloud-token-2-0123456789' }));
    expect(r.status).to.equal(200);
  });

  for (const [label, token] of [
    ['a wrong token', 'nope'],
    ['a Bearer-prefixed token', 'Bearer cloud-token-1-0123456789'],
    ['no token', undefined],
  ] as const) {
    it(`info with ${label} → 403 {"detail":"Invalid token."}`, async () => {
      const r = await rawRequest(t.port, pyRequest('GET', '/api/v1/info/', { token }));
      expect(r.status).to.equal(403);
      expect(r.json()).to.deep.equal({ detail: 'Invalid token.' });
    });
  }

  it('B: bulk sync page 1 of admins and editors, short shape, 100 per page, next set', async () => {
    const r = await rawRequest(
      t.port,
      pyRequest('GET', '/api/v1/users?page=1&short=true&roles=0&roles=1', {
        token: 'cloud-token-1-0123456789',
        authHeader: 'AUTHORIZATION',
      }),
    );
    expect(r.status).to.equal(200);
    const body = r.json() as {
      count: number;
      next: string | null;
      previous: null;
      results: Record<string, unknown>[];
      page_size: number;
      total_pages: number;
      current_page_number: number;
    };
    expect(body.count).to.equal(153); // the viewer is filtered out by roles=0&roles=1
    expect(body.results).to.have.length(100);
    expect(body.page_size).to.equal(100);
    expect(body.total_pages).to.equal(2);
    expect(body.current_page_number).to.equal(1);
    expect(body.next).to.be.a('string').and.include('page=2');
    expect(body.previous).to.equal(null);
    const alice = body.results[0];
    expect(Object.keys(alice).sort()).to.deep.equal(['email', 'grafana_id', 'id', 'is_phone_number_verified', 'role', 'username']);
    expect(alice).to.include({ email: 'alice@example.com', role: 'admin', is_phone_number_verified: true, username: 'alice' });
    expect(String(alice.id)).to.match(/^U[A-NP-Z1-9]{12}$/);
    expect(String(alice.id).length).to.be.at.most(20);
    expect(body.results.map((u) => u.email)).to.not.include('viewer@example.com');
  });

  it('B: the last page has next null; a page past the end returns the last page', async () => {
    for (const page of ['2', '9']) {
      const r = await rawRequest(
        t.port,
        pyRequest('GET', `/api/v1/users?page=${page}&short=true&roles=0&roles=1`, { token: 'cloud-token-1-0123456789' }),
      );
      const body = r.json() as { next: unknown; results: unknown[]; current_page_number: number; previous: unknown };
      expect(r.status).to.equal(200);
      expect(body.next).to.equal(null);
      expect(body.current_page_number).to.equal(2);
      expect(body.results).to.have.length(53);
      expect(body.previous).to.be.a('string');
    }
  });

  it('perpage changes the page size; a non-numeric page is 404 Invalid page', async () => {
    const r = await rawRequest(t.port, pyRequest('GET', '/api/v1/users?perpage=10&page=3', { token: 'cloud-token-1-0123456789' }));
    const body = r.json() as { results: unknown[]; total_pages: number };
    expect(body.results).to.have.length(10);
    expect(body.total_pages).to.equal(16);
    const bad = await rawRequest(t.port, pyRequest('GET', '/api/v1/users?page=abc', { token: 'cloud-token-1-0123456789' }));
    expect(bad.status).to.equal(404);
    expect(bad.json()).to.deep.equal({ detail: 'Invalid page.' });
  });

  it('C: single-user sync with a raw "+" in the email (decoded to a space) still finds the user', async () => {
    const r = await rawRequest(
      t.port,
      pyRequest('GET', '/api/v1/users/?email=a+b@x.com&roles=0&roles=1&short=true', {
        token: 'cloud-token-1-0123456789',
        authHeader: 'AUTHORIZATION',
      }),
    );
    expect(r.status).to.equal(200);
    const body = r.json() as { results: { email: string }[]; count: number };
    expect(body.count).to.equal(1);
    expect(body.results[0].email).to.equal('a+b@x.com');
  });

  it('C: email matches case-insensitively; unknown email gives an empty list', async () => {
    const r = await rawRequest(
      t.port,
      pyRequest('GET', '/api/v1/users/?email=ALICE@Example.COM&roles=0&roles=1&short=true', { token: 'cloud-token-1-0123456789' }),
    );
    expect((r.json() as { results: { email: string }[] }).results.map((u) => u.email)).to.deep.equal(['alice@example.com']);
    const none = await rawRequest(
      t.port,
      pyRequest('GET', '/api/v1/users/?email=ghost@example.com&short=true', { token: 'cloud-token-1-0123456789' }),
    );
    expect(none.status).to.equal(200);
    expect(none.json()).to.include({ count: 0, next: null });
  });

  it('a person without a number is listed as not verified; username filter works', async () => {
    const r = await rawRequest(
      t.port,
      pyRequest('GET', '/api/v1/users?username=NOPHONE&short=true', { token: 'cloud-token-1-0123456789' }),
    );
    const body = r.json() as { results: { is_phone_number_verified: boolean }[] };
    expect(body.results).to.have.length(1);
    expect(body.results[0].is_phone_number_verified).to.equal(false);
  });

  it('an invalid roles value is a 400 with a JSON field error', async () => {
    const r = await rawRequest(t.port, pyRequest('GET', '/api/v1/users?roles=7', { token: 'cloud-token-1-0123456789' }));
    expect(r.status).to.equal(400);
    expect(r.json()).to.have.property('roles');
  });

  it('users without a token → 403', async () => {
    const r = await rawRequest(t.port, pyRequest('GET', '/api/v1/users?page=1&short=true&roles=0&roles=1'));
    expect(r.status).to.equal(403);
    expect(r.json()).to.deep.equal({ detail: 'Invalid token.' });
  });
});
