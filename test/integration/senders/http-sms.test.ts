import { expect } from 'chai';
import { SystemClock } from '../../../src/core/clock';
import { HttpSmsSender } from '../../../src/senders/http-sms';
import { httpSmsSchema } from '../../../src/senders/config';
import { FakeSmsGateway } from '../../fakes/senders';
import { message } from './helpers';
import { rejection } from '../../helpers/rejection';

describe('HttpSmsSender against a fake HTTP SMS gateway', () => {
  let gw: FakeSmsGateway;
  beforeEach(async () => (gw = await FakeSmsGateway.start()));
  afterEach(() => gw.close());

  const build = (over: Record<string, unknown> = {}) =>
    new HttpSmsSender(
      'gw',
      httpSmsSchema.parse({
        type: 'http',
        url: `${gw.url}/send`,
        headers: { Authorization: 'Bearer k' },
        body: '{"to":"{{to}}","text":"{{text}}","ag":"{{alert_group_id}}"}',
        ...over,
      }),
      new SystemClock(),
    );

  it('posts the rendered JSON body with the ack link and returns the gateway id as receipt', async () => {
    const receipt = await build().send(message());
    const req = gw.last();
    expect(req.method).to.equal('POST');
    expect(req.path).to.equal('/send');
    expect(req.headers.authorization).to.equal('Bearer k');
    expect(req.headers['content-type']).to.equal('application/json');
    // Quotes and the newline in the text survive as valid JSON.
    expect(req.json).to.deep.equal({
      to: '+79161234567',
      text: 'Incident: "High CPU" on db-1\nStatus: firing\nAck: http://dozvon.example/ack/42.abc.SIG',
      ag: 'IABCDEFGHJKL1',
    });
    expect(receipt).to.include({ sender: 'gw', kind: 'sms', id: 'sms-1', parts: 1 });
  });

  it('renders a Kannel-style GET with URL-encoded placeholders', async () => {
    const s = build({ method: 'GET', body: undefined, url: `${gw.url}/cgi-bin/sendsms?username=u&to={{to}}&text={{text}}` });
    await s.send(message({ text: 'a&b=c ünïcode', ackUrl: undefined }));
    const req = gw.last();
    expect(req.method).to.equal('GET');
    expect(req.query.get('to')).to.equal('+79161234567');
    expect(req.query.get('text')).to.equal('a&b=c ünïcode');
    expect(req.query.get('username')).to.equal('u');
  });

  it('sends an object body as form fields when the content type says so', async () => {
    await build({ body: { to: '{{to}}', msg: '{{message}}' }, content_type: 'application/x-www-form-urlencoded' }).send(message());
    const form = new URLSearchParams(gw.last().body);
    expect(form.get('to')).to.equal('+79161234567');
    expect(form.get('msg')).to.equal('Incident: "High CPU" on db-1\nStatus: firing');
  });

  it('marks 5xx and 429 temporary and 4xx permanent', async () => {
    gw.queue(
      { status: 503, body: 'overloaded' },
      { status: 429, body: 'slow down' },
      { status: 400, body: { error: 'bad number +79161234567' } },
    );
    const s = build();
    const e1 = await rejection(s.send(message()));
    expect(e1.temporary).to.equal(true);
    expect(e1.message).to.match(/HTTP 503/);
    expect((await rejection(s.send(message()))).temporary).to.equal(true);
    const e3 = await rejection(s.send(message()));
    expect(e3.temporary).to.equal(false);
    expect(e3.message).to.match(/HTTP 400/);
    expect(e3.message).not.to.include('+79161234567');
  });

  it('times out a gateway that never answers, as a temporary error without the URL', async () => {
    gw.queue('hang');
    const e = await rejection(build({ timeout_ms: 150 }).send(message()));
    expect(e.temporary).to.equal(true);
    expect(e.message).to.match(/no answer within 150 ms/);
    expect(e.message).not.to.include(gw.url);
  });

  it('treats an unreachable gateway as temporary', async () => {
    const s = build();
    await gw.close();
    expect((await rejection(s.send(message()))).temporary).to.equal(true);
  });

  it('counts a 200 whose body matches fail_match as a permanent failure', async () => {
    gw.queue({ status: 200, body: 'ERROR: unknown destination' });
    const e = await rejection(build({ fail_match: '^ERROR' }).send(message()));
    expect(e.temporary).to.equal(false);
  });

  it('refuses a person without a phone number, permanently', async () => {
    const m = message();
    m.to.phone = null;
    const s = build();
    expect(s.accepts(m.to)).to.equal(false);
    expect((await rejection(s.send(m))).temporary).to.equal(false);
    expect(gw.requests).to.have.length(0);
  });

  it('reports health from health_url', async () => {
    expect(await build().health()).to.deep.equal({ ok: true, state: 'unchecked', detail: 'not checked (no health_url)' });
    const s = build({ health_url: `${gw.url}/health` });
    expect(await s.health()).to.deep.equal({ ok: true, detail: 'HTTP 202' });
    gw.queue({ status: 500, body: 'down' });
    expect((await s.health()).ok).to.equal(false);
  });
});
