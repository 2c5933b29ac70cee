import { expect } from 'chai';
import { startApp, RunningApp } from '../helpers/app';

describe('admin API', () => {
  let t: RunningApp;
  beforeEach(async () => {
    t = await startApp();
  });
  afterEach(() => t.close());
  const call = (method: string, path: string, body?: unknown, token = 'admin-token-0123456789') =>
    fetch(`${t.url}/api/admin${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });

  it('requires the bearer token (401 with WWW-Authenticate), constant answer for wrong ones', async () => {
    const r = await call('GET', '/users', undefined, 'wrong');
    expect(r.status).to.equal(401);
    expect(r.headers.get('www-authenticate')).to.match(/^Bearer/);
    const none = await fetch(`${t.url}/api/admin/users`);
    expect(none.status).to.equal(401);
  });

  it('is disabled (403) when no admin token is configured', async () => {
    const t2 = await startApp({ DOZVON_ADMIN_TOKEN: '' });
    try {
      const r = await fetch(`${t2.url}/api/admin/users`, { headers: { authorization: 'Bearer ' } });
      expect(r.status).to.equal(403);
      expect(await r.json()).to.include({ error: 'admin-disabled' });
    } finally {
      await t2.close();
    }
  });

  it('creates, reads, patches and deletes a user; numbers normalised and masked; PIN never returned', async () => {
    const c = await call('POST', '/users', {
      email: 'Carol@Example.com',
      name: 'Carol',
      phone: '+7 (916) 123-45-67',
      pin: '4321',
      channels: 'voice,push',
      lang: 'ru',
    });
    expect(c.status).to.equal(201);
    const created = (await c.json()) as Record<string, unknown>;
    expect(created).to.include({ email: 'Carol@Example.com', lang: 'ru', has_pin: true, phone: '+7916*****67' });
    expect(created.channels).to.deep.equal(['voice', 'push']);
    expect(JSON.stringify(created)).to.not.include('4321');
    expect((await t.app.users.getByEmail('carol@example.com'))!.phone).to.equal('+79161234567');
    const got = await call('GET', '/users/CAROL@example.com');
    expect(got.status).to.equal(200);
    const p = await call('PATCH', '/users/carol@example.com', { name: 'Carol K', phone: null });
    expect(await p.json()).to.include({ name: 'Carol K', phone: null, phone_verified: false });
    expect((await call('DELETE', '/users/carol@example.com')).status).to.equal(204);
    expect((await call('GET', '/users/carol@example.com')).status).to.equal(404);
  });

  it('takes an ordered list of phones with labels; phone stays the one-phone shorthand; numbers masked', async () => {
    const c = await call('POST', '/users', {
      email: 'd@example.com',
      name: 'D',
      phones: [
        { number: '+7 916 123-45-67', label: 'mobile' },
        { number: '+15550002222', label: 'desk', verified: false },
      ],
    });
    expect(c.status).to.equal(201);
    const created = (await c.json()) as { phone: string; phones: unknown[] };
    expect(created.phone).to.equal('+7916*****67');
    expect(created.phones).to.deep.equal([
      { number: '+7916*****67', label: 'mobile', verified: true },
      { number: '+1555*****22', label: 'desk', verified: false },
    ]);
    expect((await t.app.users.getByPhone('+15550002222'))?.email).to.equal('d@example.com');
    const both = await call('PATCH', '/users/d@example.com', { phone: '+15550003333', phones: ['+15550004444'] });
    expect(both.status).to.equal(400);
    expect(((await both.json()) as { detail: string }).detail).to.match(/either phone or phones/);
    const one = (await (await call('PATCH', '/users/d@example.com', { phone: '+15550003333' })).json()) as { phones: unknown[] };
    expect(one.phones).to.deep.equal([{ number: '+1555*****33', label: null, verified: true }]);
  });

  it('rejects bad input with a 400 that names the field, and duplicates with 409', async () => {
    const bad = await call('POST', '/users', { email: 'x@y.io', name: 'X', phone: '12&34' });
    expect(bad.status).to.equal(400);
    expect(((await bad.json()) as { detail: string }).detail).to.match(/^phone:/);
    const badPin = await call('POST', '/users', { email: 'x@y.io', name: 'X', pin: '12' });
    expect(((await badPin.json()) as { detail: string }).detail).to.match(/^pin:/);
    const unknownField = await call('POST', '/users', { email: 'x@y.io', name: 'X', admin: true });
    expect(unknownField.status).to.equal(400);
    expect((await call('POST', '/users', { email: 'x@y.io', name: 'X' })).status).to.equal(201);
    expect((await call('POST', '/users', { email: 'X@Y.io', name: 'X2' })).status).to.equal(409);
  });

  it('lists notifications newest first with attempts, and validates limit', async () => {
    const u = await t.app.users.create({ email: 'a@x.io', name: 'A', phone: '+15550001111' }, { lang: 'en' });
    const first = await t.app.notifications.enqueue({ kind: 'call', source: 'oncall-cloud', userId: u.id, email: u.email, message: 'one' });
    await t.app.notifications.enqueue({ kind: 'sms', source: 'oncall-cloud', userId: u.id, email: u.email, message: 'two' });
    const a = await t.app.notifications.startAttempt({ notificationId: first.notification.id, channel: 'voice' });
    await t.app.notifications.updateAttempt(a, { outcome: 'busy', cause: '17' });
    const r = await call('GET', '/notifications?limit=10');
    const body = (await r.json()) as { results: { message: string; kind: string; attempts: { outcome: string; cause: string }[] }[] };
    expect(body.results.map((n) => n.message)).to.deep.equal(['two', 'one']);
    expect(body.results[1].attempts[0]).to.include({ outcome: 'busy', cause: '17' });
    expect((await call('GET', '/notifications?limit=0')).status).to.equal(400);
    expect((await call('GET', '/notifications?kind=fax')).status).to.equal(400);
  });
});
