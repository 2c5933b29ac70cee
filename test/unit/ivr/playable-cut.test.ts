/**
 * Listen trims a playback the engineer cut short. A digit that arrives in the same network read
 * as the end of the playback (seen on a loaded CI machine) is handled before the playback's
 * `finished` callbacks, so it looks like a stop during the playback: it must not count as a cut.
 */
import { expect } from 'chai';
import { PlayableTelephony, playedOn } from '../../../src/ivr/playable-telephony';
import { silentLogger } from '../../../src/core/log';
import type { CallLeg, Playback, Telephony } from '../../../src/telephony/types';

/** One leg whose single playback ends when the test says so, and reports it at once as ARI does. */
function world() {
  let over = false;
  let end!: () => void;
  const finished = new Promise<'done' | 'failed'>(
    (resolve) =>
      (end = () => {
        over = true;
        resolve('done');
      }),
  );
  const playback: Playback = { id: 'pb-1', finished, stop: async () => undefined, isFinished: () => over };
  const leg = {
    id: 'leg-1',
    direction: 'outbound',
    callerNumber: null,
    server: 'ast',
    ended: () => null,
    play: async () => playback,
  } as unknown as CallLeg;
  const inner = { originate: async () => leg } as unknown as Telephony;
  let clock = 1000;
  const telephony = new PlayableTelephony(inner, {
    fallbackFor: () => undefined,
    promptsInstalled: async () => true,
    publicUrl: 'http://dozvon.test/',
    onSpeechFailed: () => undefined,
    log: silentLogger(),
    now: () => clock,
  });
  return { telephony, end, advance: (ms: number) => (clock += ms) };
}

describe('a playback stopped by a digit: cut short or heard whole', () => {
  it('a digit in the same read as the end of the playback does not cut it', async () => {
    const w = world();
    const leg = await w.telephony.originate({} as never);
    const pb = await leg.play(['sound:dozvon/menu']);
    w.advance(6000);
    w.end(); // PlaybackFinished handled...
    void pb.stop(); // ...and the digit's handler runs before any `finished` callback
    await pb.finished;
    expect(playedOn(leg)).to.deep.equal([{ media: ['sound:dozvon/menu'], lang: 'en' }]);
  });

  it('a digit while it plays cuts it where it was pressed', async () => {
    const w = world();
    const leg = await w.telephony.originate({} as never);
    const pb = await leg.play(['sound:dozvon/menu']);
    w.advance(2500);
    void pb.stop();
    w.end();
    await pb.finished;
    expect(playedOn(leg)).to.deep.equal([{ media: ['sound:dozvon/menu'], lang: 'en', cutAfterMs: 2500 }]);
  });
});
