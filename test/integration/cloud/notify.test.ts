import { expect } from 'chai';
import type { RunningApp } from '../../helpers/app';
import { startDeliverableApp } from '../../helpers/deliverable-app';
import { pyRequest, rawRequest } from '../../helpers/raw-http';

const F_BODY =
  'email=alice%40example.com&message=You+are+invited+to+check+an+Alert+Group+from+Grafana+OnCall.+Alert+via+Prod+-+Formatted+webhook+with+title+High+CPU+triggered+3+times';
const G_BODY =
  'email=alice%40example.com&message=Grafana+OnCall%3A+Alert+group+%2342%22High+CPU%22+from+stack%3A+%22self_hosted_stack%22%2C+integration%3A+Prod+-+Formatted+webhook%2C+alerts+registered%3A+3.';

describe('cloud contract: make_call, send_sms', () => {
  let t: RunningApp;
  beforeEach(async () => {
    t = await startDeliverableApp({ DOZVON_DAILY_LIMIT_CALLS: '3', DOZVON_DAILY_LIMIT_SMS: '2' });
    await t.app.users.create({ email: 'Alice@Example.com', name: 'Alice', phone: '+15550001111' }, { lang: 'en' });
    await t.app.users.create({ email: 'nophone@example.com', name: 'No Phone' }, { lang: 'en' });
    await t.app.users.create({ email: 'unverified@example.com', name: 'U', phone: '+15550002222', phone_verified: false }, { lang: 'en' });
  });
  afterEach(() => t.close());

  const post = (path: string, body: string, token: string | null = 'cloud-token-1-0123456789', contentType?: string) =>
    rawRequest(t.port, pyRequest('POST', path, { token: token ?? undefined, body, contentType }));
  const rows = () => t.app.db('notifications').select('*').orderBy('id');

  it('F: 200 {} and a committed pending call row with the raw message', async () => {
    const woken: number[] = [];
    t.app.wakeup.subscribe((n) => woken.push(n.id));
    const r = await post('/api/v1/make_call', F_BODY);
    expect(r.status).to.equal(200);
    expect(r.json()).to.deep.equal({});
    const [row] = await rows();
    expect(row).to.include({ kind: 'call', state: 'pending', email: 'Alice@Example.com', source: 'oncall-cloud' });
    expect(row.message).to.equal(
      'You are invited to check an Alert Group from Grafana OnCall. Alert via Prod - Formatted webhook with title High CPU triggered 3 times',
    );
    expect(woken).to.deep.equal([row.id]);
  });

  it('G: send_sms stores an sms row; both accept a trailing slash and JSON bodies', async () => {
    expect((await post('/api/v1/send_sms', G_BODY)).status).to.equal(200);
    expect((await post('/api/v1/send_sms/', G_BODY)).status).to.equal(200);
    const json = await post(
      '/api/v1/make_call/',
      JSON.stringify({ email: 'alice@example.com', message: 'hi' }),
      'cloud-token-1-0123456789',
      'application/json',
    );
    expect(json.status).to.equal(200);
    expect((await rows()).map((r: { kind: string }) => r.kind)).to.deep.equal(['sms', 'sms', 'call']);
  });

  it('unknown user → 404 {"error":"user-not-found"}, nothing stored', async () => {
    for (const path of ['/api/v1/make_call', '/api/v1/send_sms']) {
      const r = await post(path, 'email=ghost%40example.com&message=x');
      expect(r.status).to.equal(404);
      expect(r.json()).to.deep.equal({ error: 'user-not-found' });
    }
    expect(await rows()).to.have.length(0);
  });

  it('known person without a usable number → 400 {"error":"number-not-verified"}', async () => {
    for (const email of ['nophone%40example.com', 'unverified%40example.com']) {
      for (const path of ['/api/v1/make_call', '/api/v1/send_sms']) {
        const r = await post(path, `email=${email}&message=x`);
        expect(r.status).to.equal(400);
        expect(r.json()).to.deep.equal({ error: 'number-not-verified' });
      }
    }
    expect(await rows()).to.have.length(0);
  });

  it('per-user daily limit → 400 {"error":"limit-exceeded"} once the limit is reached, per kind', async () => {
    for (let i = 0; i < 3; i++) expect((await post('/api/v1/make_call', F_BODY)).status).to.equal(200);
    const over = await post('/api/v1/make_call', F_BODY);
    expect(over.status).to.equal(400);
    expect(over.json()).to.deep.equal({ error: 'limit-exceeded' });
    expect((await post('/api/v1/send_sms', G_BODY)).status).to.equal(200);
    expect((await post('/api/v1/send_sms', G_BODY)).status).to.equal(200);
    expect((await post('/api/v1/send_sms', G_BODY)).json()).to.deep.equal({ error: 'limit-exceeded' });
    expect(await rows()).to.have.length(5);
  });

  it('bad or missing token → 403 JSON, including the no-Authorization case of an empty engine token', async () => {
    for (const token of ['bad', null]) {
      const r = await post('/api/v1/make_call', F_BODY, token);
      expect(r.status).to.equal(403);
      expect(r.json()).to.deep.equal({ detail: 'Invalid token.' });
    }
    expect(await rows()).to.have.length(0);
  });

  it('a message over 1024 characters → 400 {"message": [...]}', async () => {
    const r = await post('/api/v1/make_call', `email=alice%40example.com&message=${'x'.repeat(1025)}`);
    expect(r.status).to.equal(400);
    expect(r.json()).to.deep.equal({ message: ['Ensure this field has no more than 1024 characters.'] });
    expect((await post('/api/v1/make_call', `email=alice%40example.com&message=${'x'.repeat(1024)}`)).status).to.equal(200);
  });
});

describe('cloud: bad input never gives a 5xx and is never stored', () => {
  let t: RunningApp;
  before(async () => {
    t = await startDeliverableApp();
    await t.app.users.create({ email: 'alice@example.com', name: 'Alice', phone: '+15550001111' }, { lang: 'en' });
  });
  after(() => t.close());
  const post = (body: string, contentType?: string) =>
    rawRequest(t.port, pyRequest('POST', '/api/v1/make_call', { token: 'cloud-token-1-0123456789', body, contentType }));

  const cases: [string, string, string | undefined, number, unknown][] = [
    ['invalid email', 'email=not-an-email&message=x', undefined, 400, { email: ['Enter a valid email address.'] }],
    ['missing message', 'email=alice%40example.com', undefined, 400, { message: ['This field is required.'] }],
    ['blank message', 'email=alice%40example.com&message=', undefined, 400, { message: ['This field may not be blank.'] }],
    ['empty body', '', undefined, 400, { email: ['This field is required.'], message: ['This field is required.'] }],
    ['repeated email field', 'email=alice%40example.com&email=b%40x.io&message=x', undefined, 400, { email: ['Not a valid string.'] }],
    [
      'wrong content type',
      'email=alice%40example.com&message=x',
      'text/plain',
      400,
      { email: ['This field is required.'], message: ['This field is required.'] },
    ],
    ['malformed JSON', '{"email": "alice@example.com", "message": ', 'application/json', 400, { detail: 'Malformed request body.' }],
    [
      'JSON array',
      '["alice@example.com"]',
      'application/json',
      400,
      { email: ['This field is required.'], message: ['This field is required.'] },
    ],
    ['JSON object as email', '{"email": {"$ne": 1}, "message": "x"}', 'application/json', 400, { email: ['Not a valid string.'] }],
    ['SQL-ish email', "email=alice%40example.com'%20OR%201%3D1--&message=x", undefined, 400, { email: ['Enter a valid email address.'] }],
    ['null byte in message', 'email=alice%40example.com&message=a%00b', undefined, 400, { message: ['Null characters are not allowed.'] }],
  ];
  for (const [label, body, ct, status, expected] of cases) {
    it(`${label} → ${status}`, async () => {
      const before = await t.app.db('notifications').count({ n: '*' });
      const r = await post(body, ct);
      expect(r.status).to.equal(status);
      expect(r.headers['content-type']).to.match(/^application\/json/);
      expect(r.json()).to.deep.equal(expected);
      expect(await t.app.db('notifications').count({ n: '*' })).to.deep.equal(before);
    });
  }

  it('a malformed percent-encoding is a 400 JSON, not a 5xx', async () => {
    const r = await post('email=alice%ZZexample.com&message=%E0%A4%A');
    expect(r.status).to.be.within(400, 499);
    expect(() => r.json()).to.not.throw();
  });

  it('SQL-ish and unicode messages are stored exactly once and verbatim', async () => {
    const msg = "Robert'); DROP TABLE notifications;-- 🔥 Алерт «диск» :blush:";
    const r = await post(`email=ALICE%40example.com&message=${encodeURIComponent(msg)}`);
    expect(r.status).to.equal(200);
    const stored = await t.app.db('notifications').where({ message: msg });
    expect(stored).to.have.length(1);
  });

  it('an oversized body → 413 JSON', async () => {
    const r = await post(`email=alice%40example.com&message=${'x'.repeat(70 * 1024)}`);
    expect(r.status).to.equal(413);
    expect(r.json()).to.deep.equal({ detail: 'Request body too large.' });
  });
});
