/**
 * Listen names each piece of speech by what the call said it was, so the record must keep it: a
 * reply played after 1 pressed during the greeting is a reply, though no menu came before it.
 */
import { expect } from 'chai';
import { PlayableTelephony, playedOn } from '../../../src/ivr/playable-telephony';
import { silentLogger } from '../../../src/core/log';
import type { CallLeg, Playback, Telephony } from '../../../src/telephony/types';

describe('what the phone played: the kind of speech is recorded', () => {
  it('a playback marked as the reply is recorded as the reply; an unmarked one carries no kind', async () => {
    const playback: Playback = { id: 'pb-1', finished: Promise.resolve('done'), stop: async () => undefined, isFinished: () => true };
    const leg = {
      id: 'leg-1',
      direction: 'outbound',
      callerNumber: null,
      server: 'ast',
      ended: () => null,
      play: async () => playback,
    } as unknown as CallLeg;
    const telephony = new PlayableTelephony({ originate: async () => leg } as unknown as Telephony, {
      fallbackFor: () => undefined,
      promptsInstalled: async () => true,
      publicUrl: 'http://dozvon.test/',
      onSpeechFailed: () => undefined,
      log: silentLogger(),
      now: () => 1000,
    });
    const call = await telephony.originate({} as never);
    await (
      await call.play(['sound:dozvon/greeting'])
    ).finished;
    await (
      await call.play(['sound:http://dozvon.test/media/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA.wav'], { speech: 'reply' })
    ).finished;
    expect(playedOn(call).map((p) => p.speech ?? null)).to.deep.equal([null, 'reply']);
  });
});
