/**
 * How speech reaches the phone on a real Asterisk: rendered speech that cannot be fetched is
 * replaced at once by recorded prompts (the call never goes silent), and an Asterisk without
 * dozvon's prompts installed gets them over HTTP.
 */
import { expect } from 'chai';
import { useRealAsterisk } from './setup';
import { realWorld, RealWorld, pageText } from './world';
import { measure, mediaSeconds } from './audio';
import { freePort } from './asterisk/process';
import type { PhoneCall } from './phones';

async function listenToMenuThenHangUp(w: RealWorld, number: string): Promise<{ call: PhoneCall; heard: string[] }> {
  const call = await w.phones.expectCall(number);
  await call.answer();
  const menu = await w.phones.waitPlayback((m) => /dozvon\/menu|prompts\/\w+\/menu\.wav/.test(m), 'the menu', 30_000);
  await w.phones.waitEvent((e) => e.type === 'PlaybackFinished' && e.playback?.id === menu.id, 'the menu to finish', 30_000);
  const heard = w.phones.played();
  await call.hangup();
  await call.waitEnded();
  return { call, heard };
}

function expectHeard(w: RealWorld, recording: Buffer, media: string[], lang: string): void {
  const played = media.reduce((s, m) => s + mediaSeconds(m, lang, w.ttsDir, w.coreSounds(lang)), 0);
  const heard = measure(recording);
  expect(heard.voicedSeconds, 'non-silent audio reached the phone').to.be.greaterThan(1);
  expect(heard.seconds, `recording ${heard.seconds.toFixed(2)} s vs played ${played.toFixed(2)} s`).to.be.within(
    played * 0.9,
    played * 1.1,
  );
}

describe('real Asterisk: rendered speech that cannot be fetched', function () {
  const asterisk = useRealAsterisk(this);
  let w: RealWorld;

  afterEach(async function () {
    if (this.currentTest?.state === 'failed')
      process.stderr.write(
        `phones saw: ${JSON.stringify(w.phones.played())}\n${w.logs
          .filter((l) => /warn|error/.test(l))
          .slice(-20)
          .join('')}`,
      );
    await w.close();
  });

  it('the same call goes on with the summary as prompts; the attempt and the metric record it', async () => {
    // A public URL nobody answers on: every media fetch fails, as with the old 500s.
    const dead = await freePort();
    w = await realWorld(asterisk(), { env: { DOZVON_TTS: 'espeak', DOZVON_PUBLIC_URL: `http://127.0.0.1:${dead}/` } });
    const integ = w.oncall.state.addIntegration({ name: 'Prod' });
    const group = w.oncall.state.addAlertGroup({ integrationId: integ.id, title: 'Disk full on web-07' });
    await w.app.users.create({ email: 'alice@example.com', name: 'Alice Smith', phone: '+15550001111' }, { lang: 'en' });
    const id = await w.makeCall('alice@example.com', pageText('Disk full on web-07', group.id));
    const { call, heard } = await listenToMenuThenHangUp(w, '15550001111');

    expect(heard[0]).to.equal('sound:dozvon/greeting');
    expect(heard[1]).to.match(/^sound:http:\/\/127\.0\.0\.1:\d+\/media\//);
    // After the failed fetch: the summary's shape in prompts and number sounds, then the menu.
    const fallback = heard.slice(2);
    expect(fallback).to.include('sound:dozvon/menu');
    expect(fallback.some((m) => m === 'sound:dozvon/incident' || m.startsWith('number:'))).to.equal(true);
    expect(asterisk().log()).to.match(/Failed to retrieve URL|does not exist in any format|Playback failed/);

    const attempt = await w.until(async () => (await w.attempts(id)).find((a) => a.ended_at !== null), 'the attempt to be recorded');
    expect(attempt.speech).to.match(/^prompts: rendered speech could not be played/);
    const metrics = await w.app.metrics.registry.metrics();
    expect(metrics).to.match(/dozvon_speech_playback_failures_total 1/);
    // What was heard: the greeting, then the prompts (the failed fetch played nothing).
    const audible = [heard[0], ...fallback.filter((m) => m.startsWith('sound:'))];
    const numbers = fallback.filter((m) => m.startsWith('number:'));
    const heardAudio = measure(await call.recording());
    const promptSeconds = audible.reduce((s, m) => s + mediaSeconds(m, 'en', w.ttsDir, w.coreSounds('en')), 0);
    expect(heardAudio.voicedSeconds).to.be.greaterThan(1);
    // Number sounds have no single file to measure: allow about a second per number.
    expect(heardAudio.seconds).to.be.within(promptSeconds * 0.9, promptSeconds * 1.1 + numbers.length * 1.2);
  });
});

describe('real Asterisk: a stock Asterisk without dozvon prompts', function () {
  const asterisk = useRealAsterisk(this, { prompts: false });
  let w: RealWorld;

  afterEach(async function () {
    if (this.currentTest?.state === 'failed') process.stderr.write(`phones saw: ${JSON.stringify(w.phones.played())}\n`);
    await w.close();
  });

  it('plays the prompts over HTTP, and the phone hears greeting, summary and menu', async () => {
    w = await realWorld(asterisk(), { env: { DOZVON_TTS: 'espeak' } });
    const integ = w.oncall.state.addIntegration({ name: 'Prod' });
    const group = w.oncall.state.addAlertGroup({ integrationId: integ.id, title: 'Replication lag on pg-2' });
    await w.app.users.create({ email: 'ivan@example.com', name: 'Ivan Petrov', phone: '+79990001122' }, { lang: 'ru' });
    await w.makeCall('ivan@example.com', pageText('Replication lag on pg-2', group.id));
    const { call, heard } = await listenToMenuThenHangUp(w, '79990001122');
    expect(heard[0]).to.match(/^sound:http:\/\/127\.0\.0\.1:\d+\/media\/prompts\/ru\/greeting\.wav$/);
    expect(heard[heard.length - 1]).to.match(/\/media\/prompts\/ru\/menu\.wav$/);
    expect(heard).to.have.length(3);
    expect(asterisk().log()).to.not.match(/Failed to retrieve URL|Playback failed/);
    expectHeard(w, await call.recording(), heard, 'ru');
  });
});
