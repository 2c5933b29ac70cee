import { expect } from 'chai';
import { answered, ended, Harness, makeHarness } from './harness';

/** The fake reproduces the sequences seen on a real Asterisk event for event (noise of `;2` included). */
describe('fake Asterisk: observed event sequences', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await makeHarness();
  });
  afterEach(async () => h.close());

  const seq = (ids: string[]) =>
    h.asterisk.events
      .filter((e) => ids.includes(e.event.channel?.id ?? e.event.peer?.id ?? ''))
      .map(
        (e) =>
          `${e.event.type}${e.event.channel?.id === ids[1] ? ';2' : ''}${e.event.dialstatus !== undefined ? ':' + e.event.dialstatus : ''}${e.event.cause !== undefined ? '#' + e.event.cause : ''}${e.event.soft ? 's' : ''}`,
      );

  it('busy', async () => {
    h.asterisk.phone('1004').willBeBusy();
    const leg = await h.dial('1004');
    await ended(leg);
    expect(seq([leg.id, `${leg.id}-2`])).to.deep.equal([
      'ChannelCallerId;2',
      'ChannelConnectedLine;2',
      'Dial:',
      'ChannelDialplan;2',
      'ChannelStateChange;2',
      'Dial:BUSY',
      'ChannelHangupRequest;2#0',
      'ChannelDestroyed#0',
      'ChannelHangupRequest;2#16s',
      'ChannelDestroyed;2#17',
    ]);
    const destroyed = h.asterisk.events.find((e) => e.event.type === 'ChannelDestroyed' && e.event.channel.id === leg.id)?.event;
    expect(destroyed?.channel.state).to.equal('Down');
    expect(destroyed?.cause_txt).to.equal('Unknown');
  });

  it('ring out: no final Dial', async () => {
    h.asterisk.phone('1003').willRingOut();
    const leg = await h.dial('1003', { timeoutSec: 10 });
    await ended(leg);
    expect(
      seq([leg.id, `${leg.id}-2`]).filter(
        (s) => !s.startsWith('ChannelDialplan') && !s.startsWith('ChannelCallerId') && !s.startsWith('ChannelConnected'),
      ),
    ).to.deep.equal([
      'Dial:',
      'ChannelStateChange',
      'Dial:RINGING',
      'ChannelHangupRequest;2#19',
      'ChannelDestroyed#19',
      'ChannelHangupRequest;2#16s',
      'ChannelDestroyed;2#19',
    ]);
  });

  it('app hangup while up: soft 32, playback failed, StasisEnd, then ChannelDestroyed; timestamps without colon', async () => {
    h.asterisk.phone('1007').willAnswerAfter(0);
    const leg = await h.dial('1007');
    await answered(leg);
    const pb = await leg.play(['sound:tt-monkeys']);
    await leg.hangup();
    expect(await pb.finished).to.equal('failed');
    await ended(leg);
    const mine = seq([leg.id]);
    expect(mine.slice(mine.indexOf('ChannelHangupRequest#32s'))).to.deep.equal([
      'ChannelHangupRequest#32s',
      'StasisEnd',
      'ChannelVarset',
      'ChannelDestroyed#16',
    ]);
    const start = h.asterisk.events.find((e) => e.event.type === 'StasisStart')?.event;
    expect(start?.args).to.deep.equal(['dialout', '1007']);
    expect(start?.channel.dialplan).to.include({ app_name: 'Stasis', app_data: 'dozvon,dialout,1007' });
    expect(start?.timestamp).to.match(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+0000$/);
    const destroyed = h.asterisk.events.find((e) => e.event.type === 'ChannelDestroyed' && e.event.channel.id === leg.id)?.event;
    expect(destroyed?.channel.dialplan.app_name).to.equal('AppDial2');
  });

  it('REST on a gone channel and a finished playback answer 404 with the contract bodies', async () => {
    const auth = { Authorization: 'Basic ' + Buffer.from('dozvon:secret').toString('base64') };
    const ch = await fetch(`${h.asterisk.url}/ari/channels/nope/answer`, { method: 'POST', headers: auth });
    expect(ch.status).to.equal(404);
    expect(await ch.json()).to.deep.equal({ message: 'Channel not found' });
    const pb = await fetch(`${h.asterisk.url}/ari/playbacks/nope`, { method: 'DELETE', headers: auth });
    expect(await pb.json()).to.deep.equal({ message: 'Playback not found' });
    const slash = await fetch(`${h.asterisk.url}/ari/channels/`, { headers: auth });
    expect(slash.status).to.equal(404);
  });
});
