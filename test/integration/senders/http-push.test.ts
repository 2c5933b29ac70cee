import { expect } from 'chai';
import { SystemClock } from '../../../src/core/clock';
import { HttpPushSender } from '../../../src/senders/http-push';
import { httpPushSchema } from '../../../src/senders/config';
import { HttpFake } from '../../fakes/senders';
import { message } from './helpers';
import { rejection } from '../../helpers/rejection';

describe('HttpPushSender against a loopback webhook', () => {
  let hook: HttpFake;
  beforeEach(async () => (hook = await new HttpFake(() => ({ status: 200, body: { messageId: 'p-1' } })).start()));
  afterEach(() => hook.close());

  const build = (over: Record<string, unknown> = {}) =>
    new HttpPushSender(
      'relay',
      httpPushSchema.parse({
        type: 'http',
        url: `${hook.url}/push`,
        body: { device: '{{to}}', title: '{{title}}', body: '{{message}}', ack: '{{ack_url}}', prio: '{{priority}}' },
        ...over,
      }),
      new SystemClock(),
    );

  it('addresses the person by their contact under the configured key', async () => {
    const s = build({ contact: 'relay' });
    expect(s.accepts(message().to)).to.equal(false);
    const r = await s.send(message({}, { relay: 'device-7' }));
    expect(r).to.include({ kind: 'push', id: 'p-1' });
    expect(hook.requests[0].json).to.deep.equal({
      device: 'device-7',
      title: 'High CPU',
      body: 'Incident: "High CPU" on db-1\nStatus: firing',
      ack: 'http://dozvon.example/ack/42.abc.SIG',
      prio: 'high',
    });
  });

  it('without a contact key addresses everyone by email', async () => {
    const s = build();
    expect(s.accepts(message().to)).to.equal(true);
    await s.send(message());
    expect((hook.requests[0].json as { device: string }).device).to.equal('alice@example.com');
  });

  it('strips newlines from header placeholders', async () => {
    await build({ headers: { 'X-Title': '{{message}}' } }).send(message());
    expect(hook.requests[0].headers['x-title']).to.equal('Incident: "High CPU" on db-1 Status: firing');
  });

  it('marks a 404 permanent', async () => {
    hook.queue({ status: 404, body: 'no such device' });
    expect((await rejection(build().send(message()))).temporary).to.equal(false);
  });
});
