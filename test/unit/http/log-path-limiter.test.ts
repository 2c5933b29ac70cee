import { expect } from 'chai';
import { PassThrough } from 'node:stream';
import { loggedPath, maskPath } from '../../../src/http/log-path';
import { FailureLimiter, clientKey } from '../../../src/http/limiter';
import { createLogger } from '../../../src/core/log';
import { repeatedKeys } from '../../helpers/log-scan';

describe('logged paths: secrets masked by route', () => {
  it('masks the token of every token-bearing route, whatever its shape (ack tokens have dots)', () => {
    expect(maskPath('/ack/42.sdf9k1.Xy_-abcdefghijklmnopqrs')).to.equal('/ack/:token');
    expect(maskPath('/verify/aB3dE5gH.s0me.MACmacMACmac')).to.equal('/verify/:token');
    expect(maskPath('/hotline/messages/abcdefghijklmnopqrstuvwxyz012345.wav')).to.equal('/hotline/messages/:token');
    expect(maskPath('/media/0123abcd.wav')).to.equal('/media/:name');
    expect(maskPath('/media/prompts/en/goodbye.wav')).to.equal('/media/prompts/en/goodbye.wav');
    expect(maskPath('/ping/k3y/backup/fail')).to.equal('/ping/:key/backup/fail');
    expect(maskPath('/integrations/v1/formatted_webhook/mReAoNwDm0eMwKo1mTeTwYo12/heartbeat/')).to.equal(
      '/integrations/v1/formatted_webhook/:token/heartbeat/',
    );
    expect(maskPath('/api/admin/users/alice.smith%40example.com')).to.equal('/api/admin/users/a***h@example.com');
    expect(maskPath('/v2/heartbeats/backup/ping')).to.equal('/v2/heartbeats/backup/ping');
    expect(maskPath('/api/v1/make_call')).to.equal('/api/v1/make_call');
  });

  it('keeps the mount prefix of the public URL and drops the query', () => {
    expect(loggedPath({ originalUrl: '/oncall/ack/1.x.y?z=1', url: '/ack/1.x.y' }, '/oncall')).to.equal('/oncall/ack/:token');
    expect(loggedPath({ originalUrl: '/ack/1.x.y', url: '/1.x.y' }, '/oncall')).to.equal('/ack/:token');
    expect(loggedPath({ originalUrl: '/oncallx/ack/1', url: '/oncallx/ack/1' }, '/oncall')).to.equal('/oncallx/ack/1');
  });
});

describe('failure limiter per client address', () => {
  it('refuses an address after max failures in the window, others not; the window slides', () => {
    let now = 0;
    const l = new FailureLimiter({ max: 3, windowMs: 1000, now: () => now });
    for (let i = 0; i < 3; i++) {
      expect(l.retryAfterMs('a')).to.equal(0);
      l.fail('a');
      now += 100;
    }
    expect(l.retryAfterMs('a')).to.equal(700);
    expect(l.retryAfterMs('b')).to.equal(0);
    now = 1001;
    expect(l.retryAfterMs('a')).to.equal(0);
    l.fail('b');
    l.succeed('b');
    expect(l.size()).to.equal(1);
  });

  it('remembers a bounded number of addresses', () => {
    const l = new FailureLimiter({ max: 2, windowMs: 60_000, now: () => 0, maxKeys: 100 });
    for (let i = 0; i < 10_000; i++) l.fail(`10.0.${i >> 8}.${i & 255}`);
    expect(l.size()).to.equal(100);
  });

  it('counts IPv6 clients per /64 and IPv4-mapped addresses as IPv4', () => {
    const key = (ip: string) => clientKey({ ip, socket: {} as never });
    expect(key('2001:db8:1:2:aaaa::1')).to.equal(key('2001:db8:1:2:bbbb:cccc:dddd:eeee'));
    expect(key('2001:db8:1:2::1')).to.not.equal(key('2001:db8:1:3::1'));
    expect(key('::ffff:192.0.2.7')).to.equal('192.0.2.7');
  });
});

describe('log lines: one key per field', () => {
  function capture(): { lines: () => string[]; logger: ReturnType<typeof createLogger> } {
    const out = new PassThrough();
    let text = '';
    out.on('data', (c: Buffer) => (text += c.toString('utf8')));
    return { lines: () => text.split('\n').filter(Boolean), logger: createLogger({ level: 'debug', destination: out }) };
  }

  it('a child rebinding a key replaces it; a line field named like a binding does not hide it', async () => {
    const c = capture();
    const tel = c.logger.child({ mod: 'telephony' }).child({ mod: 'telephony', leg: 'L1' });
    tel.info({ outcome: 'answered' }, 'leg ended');
    const hot = c.logger.child({ mod: 'hotline' }).child({ callId: 'C1', from: '+1555***21' });
    hot.child({ mod: 'hotline-incidents' }).info('incidents loaded');
    hot.info({ from: 'pin', to: 'loading' }, 'hotline state');
    await new Promise((r) => setImmediate(r));
    const lines = c.lines();
    expect(lines).to.have.length(3);
    for (const l of lines) expect(repeatedKeys(l), l).to.deep.equal([]);
    expect(JSON.parse(lines[0])).to.include({ mod: 'telephony', leg: 'L1', outcome: 'answered', svc: 'dozvon' });
    expect(JSON.parse(lines[1])).to.include({ mod: 'hotline-incidents', callId: 'C1' });
    expect(JSON.parse(lines[2])).to.include({ from: '+1555***21', from_: 'pin', to: 'loading' });
  });

  it("a child keeps its parent's level", async () => {
    const c = capture();
    const quiet = c.logger.child({ mod: 'a' });
    quiet.level = 'warn';
    quiet.child({ mod: 'b' }).info('dropped');
    quiet.child({ mod: 'b' }).warn('kept');
    await new Promise((r) => setImmediate(r));
    expect(c.lines().map((l) => (JSON.parse(l) as { msg: string }).msg)).to.deep.equal(['kept']);
  });
});
