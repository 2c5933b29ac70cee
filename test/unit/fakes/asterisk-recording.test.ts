/**
 * The fake Asterisk's recordings on a hub whose clock the test moves: a recording stopped by its
 * max_duration lasts exactly that long, as on Asterisk, even when the limit timer fires late.
 */
import { expect } from 'chai';
import { Media, MediaHub } from '../../fakes/asterisk/media';
import { FakeChannel } from '../../fakes/asterisk/model';

describe('fake Asterisk recordings', () => {
  let now: number;
  let due: { at: number; fn: () => void }[];
  let finished: Record<string, unknown>[];
  let media: Media;
  const channel = () =>
    new FakeChannel('ch-1', 'PJSIP/trunk-1', { app: 'dozvon', caller: { name: '', number: '1001' }, context: 'dozvon', exten: 's', now });
  /** Moves the clock to `ms` and fires every timer due by then, however late. */
  const advanceTo = (ms: number) => {
    now = ms;
    const fire = due.filter((t) => t.at <= now);
    due = due.filter((t) => t.at > now);
    for (const t of fire) t.fn();
  };

  beforeEach(() => {
    now = 1_000_000;
    due = [];
    finished = [];
    const hub: MediaHub = {
      emitApp: (_app, type, fields) => void (type === 'RecordingFinished' && finished.push(fields.recording as Record<string, unknown>)),
      after: (ms, fn) => {
        const t = { at: now + ms, fn };
        due.push(t);
        return { cancel: () => void (due = due.filter((x) => x !== t)) };
      },
      now: () => now,
      openMedia: async () => ({ ok: true, durationMs: 0 }),
      playbackStarted: () => undefined,
      cancelOpens: () => undefined,
    };
    media = new Media(hub);
  });

  it('stopped by max_duration, lasts max_duration even when the timer fires 2 s late', () => {
    media.record(channel(), { name: 'msg', format: 'wav', maxDurationSeconds: 5, ifExists: 'fail' });
    advanceTo(now + 7000);
    expect(media.stored.get('msg')?.durationMs).to.equal(5000);
    expect(finished.map((r) => r.duration)).to.deep.equal([5]);
  });

  it('stopped early, lasts as long as it ran', () => {
    media.record(channel(), { name: 'msg', format: 'wav', maxDurationSeconds: 5, ifExists: 'fail' });
    advanceTo(now + 2500);
    expect(media.stopRecording('msg')).to.equal(true);
    expect(media.stored.get('msg')?.durationMs).to.equal(2500);
  });
});
