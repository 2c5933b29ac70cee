/**
 * Voicemail is not a person, on a real Asterisk over SIP: dozvon turns on TALK_DETECT at the
 * answer. A mailbox (Asterisk's vm-intro, about 5.7 s, then a beep, then it records) gets one short
 * message after the beep and the page is retried, not delivered; a phone that says "hello" (0.8 s)
 * and listens gets the normal call and acknowledges with 1. VOICEMAIL_STORY_RUNS=5 repeats each
 * story to count misjudgements; each run prints the detection time.
 */
import { expect } from 'chai';
import { parseWav } from '../../src/tts/audio/wav';
import { useStory, answered, items, rescheduled, endedAttempt, SPEECH, MENU, starts, ends, PlayedItem } from './stories';
import type { RealWorld } from './world';

const RUNS = Math.max(1, Number(process.env.VOICEMAIL_STORY_RUNS ?? 1));
const CALLBACK = '+1 555 010 9999';

/** Seconds of 20 ms frames louder than -50 dBFS between `fromS` and `toS` of a recording. */
function voicedBetween(wav: Buffer, fromS: number, toS = Infinity): number {
  const w = parseWav(wav);
  const frame = Math.round(w.sampleRate / 50);
  const start = Math.max(0, Math.floor(fromS * w.sampleRate));
  const end = Math.min(w.samples.length, Math.floor(toS * w.sampleRate));
  let voiced = 0;
  for (let i = start; i < end; i += frame) {
    let sum = 0;
    const stop = Math.min(end, i + frame);
    for (let k = i; k < stop; k++) sum += w.samples[k] * w.samples[k];
    if (Math.sqrt(sum / Math.max(1, stop - i)) > 32768 * 0.00316) voiced += stop - i;
  }
  return voiced / w.sampleRate;
}

function dozvonItems(w: RealWorld, phoneChannel: string): PlayedItem[] {
  return items(w).filter((p) => p.target !== phoneChannel);
}

describe('real Asterisk: an answering machine is not a person', function () {
  const story = useStory(this, { yaml: `voicemail:\n  callback_number: "${CALLBACK}"\n` });

  for (let run = 1; run <= RUNS; run++) {
    it(`a mailbox (greeting, beep, record) gets one message after the beep; outcome voicemail, retried (run ${run})`, async function () {
      this.timeout(90_000);
      const { w } = story();
      const { id } = await story().page('Disk full on db-1.prod.example.com');
      const call = await answered(w);
      const greeting = await call.speak(['sound:vm-intro', 'sound:beep']);
      await call.waitEnded(60_000);

      const attempt = await endedAttempt(w, id);
      expect(attempt, 'classified as a machine').to.include({ outcome: 'voicemail', digits: null });
      const detected = /^answering machine after (\d+\.\d) s; message left$/.exec(String(attempt.result));
      expect(detected, String(attempt.result)).to.not.equal(null);
      process.stdout.write(`      detection: answer → machine ${detected![1]} s\n`);

      // The phone's own greeting and beep, by Asterisk's timestamps, and what dozvon played.
      const phone = items(w).filter((p) => p.playback === greeting);
      const beep = phone.find((p) => p.media === 'sound:beep')!;
      expect(beep.end, 'the beep played to its end').to.not.equal(null);
      const played = dozvonItems(w, call.id);
      const message = played[played.length - 1];
      expect(message.media, 'the message is rendered speech').to.match(SPEECH);
      expect(message.start, 'the message starts after the beep').to.be.greaterThan(beep.end!);
      expect(message.ms, 'the message played to its end').to.not.equal(null);
      expect(played.filter((p) => MENU.test(p.media)).length, 'no menu into the mailbox').to.be.at.most(1);
      expect(w.oncall.requests.filter((r) => r.method === 'POST')).to.deep.equal([]);

      // The mailbox's recording (what the phone heard and sent): after the beep the phone sends only
      // silence, so every voiced frame there is dozvon's message, and nothing else (no menu) follows it.
      // Positions come from Asterisk's timestamps, which drift from the file's frames under load: a margin.
      const wav = await call.recording();
      const beepEnd = (beep.end! - phone[0].start) / 1000;
      const afterBeep = voicedBetween(wav, beepEnd + 0.5);
      const messageS = message.ms! / 1000;
      expect(afterBeep, `voiced ${afterBeep.toFixed(2)} s after the beep, message ${messageS.toFixed(2)} s`).to.be.within(
        messageS * 0.5,
        messageS + 1,
      );

      const row = await rescheduled(w, id);
      expect(row.reason).to.equal('answering machine (message left); retry 1 of 2');
      expect(row.next_attempt_at - Number(attempt.ended_at)).to.be.within(59_900, 60_100);
    });

    it(`a person who says "hello" and listens hears greeting, summary and menu; 1 acknowledges (run ${run})`, async function () {
      this.timeout(90_000);
      const s = story();
      const { w } = s;
      const { id, group } = await s.page('High CPU on web-3');
      const call = await answered(w);
      await call.speak(['sound:hello'], 40);
      const menu = await starts(w, MENU);
      await ends(w, menu);
      await call.press('1');
      const row = await w.finished(id);
      expect(row).to.include({ state: 'delivered', outcome: 'digit' });
      expect(w.oncall.state.groups.get(group)!.acknowledgedBy).to.equal(s.alice);
      const attempt = await endedAttempt(w, id);
      expect(attempt, 'classified as a person').to.include({ outcome: 'answered', action: 'acknowledge' });
      const played = dozvonItems(w, call.id).map((p) => (SPEECH.test(p.media) ? 'speech' : p.media.replace('sound:dozvon/', '')));
      expect(played.slice(0, 3)).to.deep.equal(['greeting', 'speech', 'menu']);
      // Talk detection was on and heard the word: a short stretch, reported on dozvon's channel.
      const talk = w.phones.events.find((e) => e.type === 'ChannelTalkingFinished' && e.channel?.id !== call.id);
      expect(talk, 'Asterisk reported the hello').to.not.equal(undefined);
      expect(Number(talk!.duration)).to.be.within(200, 1500);
    });
  }
});
