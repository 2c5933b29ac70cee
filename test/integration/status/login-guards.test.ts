import { expect } from 'chai';
import { startStatus, StatusHarness, TOKEN } from './harness';

const login = (h: StatusHarness, token: string, headers: Record<string, string> = {}) =>
  fetch(`${h.url}/login`, {
    method: 'POST',
    body: new URLSearchParams({ token }),
    headers,
    redirect: 'manual',
    signal: AbortSignal.timeout(5000),
  });
const page = (h: StatusHarness, cookie: string) =>
  fetch(`${h.url}/`, { headers: { cookie }, redirect: 'manual', signal: AbortSignal.timeout(5000) });

describe('status page login: locks out attackers, not the owner', () => {
  let h: StatusHarness;
  afterEach(async () => h?.close());

  it('wrong tokens are counted per client address: a guesser gets 429, the owner at another address signs in', async () => {
    h = await startStatus({ trustProxy: ['loopback'] });
    const attacker = { 'x-forwarded-for': '203.0.113.9' };
    for (let i = 0; i < 10; i++) expect((await login(h, `guess-${i}`, attacker)).status).to.equal(401);
    const refused = await login(h, `guess-10`, attacker);
    expect(refused.status).to.equal(429);
    expect(Number(refused.headers.get('retry-after'))).to.be.within(1, 15 * 60);
    // Even the right token is refused from the guessing address until its failures age out.
    expect((await login(h, TOKEN, attacker)).status).to.equal(429);
    expect((await login(h, TOKEN, { 'x-forwarded-for': '198.51.100.7' })).status).to.equal(303);
    h.now.t += 15 * 60_000 + 1;
    expect((await login(h, TOKEN, attacker)).status).to.equal(303);
  });

  it('logout revokes the session server-side: a copy of the cookie stops working', async () => {
    h = await startStatus();
    const ok = await login(h, TOKEN);
    const cookie = (ok.headers.get('set-cookie') ?? '').split(';')[0];
    const copy = cookie; // e.g. another tab, or a stolen cookie
    const shown = await page(h, cookie);
    expect(shown.status).to.equal(200);
    const csrf = /name="_csrf" value="([^"]+)"/.exec(await shown.text())?.[1] ?? '';
    const out = await fetch(`${h.url}/logout`, {
      method: 'POST',
      body: new URLSearchParams({ _csrf: csrf }),
      headers: { cookie },
      redirect: 'manual',
    });
    expect(out.status).to.equal(303);
    expect((await page(h, copy)).status).to.equal(401);
    expect(await h.tdb.db('revoked_sessions').count({ n: '*' })).to.deep.equal([{ n: 1 }]);
    // A new sign-in works as before.
    const again = (await login(h, TOKEN)).headers.get('set-cookie') ?? '';
    expect((await page(h, again.split(';')[0])).status).to.equal(200);
  });

  it("a proxy that rewrites Host: a form posted from the public URL's origin signs in; another origin does not", async () => {
    h = await startStatus({ publicUrl: 'https://oncall.example.com/dozvon/' });
    expect((await login(h, TOKEN, { origin: 'https://oncall.example.com' })).status).to.equal(303);
    expect((await login(h, TOKEN, { origin: 'https://evil.example' })).status).to.equal(403);
    expect((await login(h, TOKEN, { origin: 'http://oncall.example.com' })).status, 'scheme matters').to.equal(403);
  });

  it('the sign-in form is read only as a small form: a big or deep body is 4xx, never 5xx', async () => {
    h = await startStatus();
    const big = await fetch(`${h.url}/login`, {
      method: 'POST',
      body: `token=${'x'.repeat(64 * 1024)}`,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      redirect: 'manual',
    });
    expect(big.status).to.equal(413);
    const json = await fetch(`${h.url}/login`, {
      method: 'POST',
      body: '['.repeat(100_000),
      headers: { 'content-type': 'application/json' },
      redirect: 'manual',
    });
    expect(json.status).to.equal(401); // JSON is not what the form sends: not read at all
  });
});
