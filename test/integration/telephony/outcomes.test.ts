import { expect } from 'chai';
import { AppError } from '../../../src/core/errors';
import { answered, ended, Harness, makeHarness, nextDigit } from './harness';

describe('AriTelephony ↔ fake Asterisk: outbound outcomes', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await makeHarness();
  });
  afterEach(async () => h.close());

  it('connects, originates with its own channel id, answers, receives DTMF and hangs up', async () => {
    h.asterisk.phone('1001').willAnswerAfter(1000).willPress('1', { afterPlaybackStartMs: 300 });
    expect(h.tel.health().ok).to.equal(true);
    const leg = await h.dial('1001');
    await answered(leg);
    const pb = await leg.play(['sound:hello-world']);
    expect(await nextDigit(leg)).to.equal('1');
    await pb.stop();
    expect(await pb.finished).to.equal('done');
    await leg.hangup();
    const end = await ended(leg);
    expect(end).to.include({ outcome: 'answered', answered: true, cause: 16 });
    const orig = h.asterisk.requests.find((r) => r.method === 'POST' && r.path === '/ari/channels');
    expect(orig?.query).to.include({
      channelId: leg.id,
      app: 'dozvon',
      appArgs: 'dialout,1001',
      endpoint: 'Local/1001@oncall-test-phones',
      timeout: '30',
    });
    expect(h.asterisk.mediaPlayed(leg.id)).to.deep.equal(['sound:hello-world']);
  });

  it('busy: the app channel dies with cause 0, outcome comes from Dial BUSY and the ;2 half', async () => {
    h.asterisk.phone('1004').willBeBusy();
    const end = await ended(await h.dial('1004'));
    expect(end).to.include({ outcome: 'busy', answered: false, cause: 17, dialStatus: 'BUSY' });
    const destroyed = h.asterisk.events.filter((e) => e.event.type === 'ChannelDestroyed').map((e) => e.event.cause);
    expect(destroyed).to.deep.equal([0, 17]);
  });

  it('congestion', async () => {
    h.asterisk.phone('1005').willBeCongested();
    expect(await ended(await h.dial('1005'))).to.include({ outcome: 'congestion', cause: 34, dialStatus: 'CONGESTION' });
  });

  it('no answer: originate timeout gives cause 19 and no final Dial', async () => {
    h.asterisk.phone('1003').willRingOut();
    const end = await ended(await h.dial('1003', { timeoutSec: 10 }));
    expect(end).to.include({ outcome: 'no-answer', cause: 19, dialStatus: 'RINGING' });
    const dials = h.asterisk.events.filter((e) => e.event.type === 'Dial').map((e) => e.event.dialstatus);
    expect(dials).to.deep.equal(['', 'RINGING']);
  });

  it('reject after ringing: NOANSWER with cause 21 reads as rejected', async () => {
    h.asterisk.phone('1006').willReject({ afterMs: 2000 });
    expect(await ended(await h.dial('1006'))).to.include({ outcome: 'rejected', cause: 21, dialStatus: 'NOANSWER' });
  });

  it('unknown extension: both halves destroyed at once with cause 0, no StasisStart', async () => {
    const end = await ended(await h.dial('9999'));
    expect(end).to.include({ outcome: 'unreachable', answered: false, cause: 0, dialStatus: null });
    expect(h.asterisk.events.some((e) => e.event.type === 'StasisStart')).to.equal(false);
  });

  it('answered and silent (voicemail): answered, no digits, remote hangup cause 16', async () => {
    h.asterisk.phone('1007').willStaySilent(3000);
    const leg = await h.dial('1007');
    const digits: string[] = [];
    leg.on('dtmf', (d) => digits.push(d));
    const end = await ended(leg);
    expect(end).to.include({ outcome: 'answered', cause: 16 });
    expect(digits).to.deep.equal([]);
  });

  it('SIP trunk endpoints carry the real cause on the single channel (busy 17, unknown number 1)', async () => {
    h.asterisk.phone('15551234').willBeBusy();
    const busy = await ended(await h.dial('15551234', { template: 'PJSIP/{number}@trunk' }));
    expect(busy).to.include({ outcome: 'busy', cause: 17 });
    const unknown = await ended(await h.dial('15559999', { template: 'PJSIP/{number}@trunk' }));
    expect(unknown).to.include({ outcome: 'unreachable', cause: 1 });
  });

  it('cancelling while ringing ends as no-answer with NOANSWER', async () => {
    const phone = h.asterisk.phone('1010'); // no script: rings until told
    const leg = await h.dial('1010');
    await phone.expectCall();
    await h.asterisk.waitForEvent('Dial', (e) => e.dialstatus === 'RINGING');
    await leg.hangup('no_answer');
    expect(await ended(leg)).to.include({ outcome: 'no-answer', cause: 19, dialStatus: 'NOANSWER' });
  });

  it('refused originate (bad technology) is a permanent error and leaves no leg behind', async () => {
    const err = await h.tel.originate({ endpoint: 'Bogus/1001', callerId: 'x', timeoutSec: 5 }).catch((e: unknown) => e);
    expect(err).to.be.instanceOf(AppError);
    expect((err as AppError).temporary).to.equal(false);
    expect((err as AppError).message).to.match(/Allocation failed/);
    expect(h.tel.health().servers[0].activeLegs).to.equal(0);
  });
});
