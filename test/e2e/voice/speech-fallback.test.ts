/**
 * Speech Asterisk cannot fetch (a public URL it cannot reach, a /media answering 500) must not
 * leave the engineer with greeting → menu: the same call goes on with the summary as prompts,
 * and the attempt and a metric say so. Also: a stock Asterisk without dozvon's prompts gets them
 * over HTTP. The fake Asterisk fetches media as res_http_media_cache does.
 */
import { expect } from 'chai';
import { voiceWorld, VoiceWorld, pageText } from './harness';
import { freePort } from '../../real/asterisk/process';

describe('voice e2e: speech that cannot be played', function () {
  this.timeout(30000);
  let w: VoiceWorld;
  let group: { id: string };

  afterEach(() => w.close());

  async function world(env: Record<string, string>): Promise<void> {
    w = await voiceWorld({ env: { DOZVON_TTS: 'espeak', ...env } });
    const integ = w.oncall.state.addIntegration({ name: 'Prod' });
    group = w.oncall.state.addAlertGroup({ integrationId: integ.id, title: 'Disk full on web-07' });
    await w.t.app.users.create({ email: 'alice@example.com', name: 'Alice Smith', phone: '+15550001111' }, { lang: 'en' });
  }

  it('a media URL Asterisk cannot fetch: the summary is read as prompts in the same call, and recorded', async () => {
    // The harness's public URL (dozvon.test) does not resolve: every fetch fails, as a 500 did.
    await world({});
    const phone = w.asterisk.phone('+15550001111').willAnswerAfter(100);
    const id = await w.makeCall('alice@example.com', pageText('Disk full on web-07', group.id));
    const call = await phone.expectCall(5000);
    await call.expectPlayback('dozvon/greeting', 5000);
    await call.expectPlayback(/^sound:http:\/\/dozvon\.test:8080\/media\//, 5000);
    await call.expectPlayback(/dozvon\/incident|number:/, 5000);
    await call.expectPlayback('dozvon/menu', 5000);
    call.press('1');
    await call.expectHangup(10000);
    expect(w.asterisk.mediaFetches.some((f) => f.url.startsWith('http://dozvon.test:8080/media/') && f.outcome !== 'ok')).to.equal(true);
    const attempt = await w.until(async () => (await w.t.app.db('attempts').where({ notification_id: id }))[0]?.speech, 'the attempt');
    expect(attempt).to.equal('prompts: rendered speech could not be played (1 time)');
    expect(await w.t.app.metrics.registry.metrics()).to.match(/^dozvon_speech_playback_failures_total 1$/m);
    // Later speech on the same call (the result) goes straight to prompts: no second failing fetch.
    const played = w.asterisk.mediaPlayed(call.channelId);
    expect(played.filter((m) => m.startsWith('sound:http'))).to.have.length(1);
  });

  it('speech that plays: nothing is recorded as a fallback', async () => {
    // The app's real address as its public URL (the default, given a real port).
    const port = await freePort();
    await world({ DOZVON_LISTEN: `127.0.0.1:${port}`, DOZVON_PUBLIC_URL: `http://127.0.0.1:${port}/` });
    const phone = w.asterisk.phone('+15550001111').willAnswerAfter(100);
    const id = await w.makeCall('alice@example.com', pageText('Disk full on web-07', group.id));
    const call = await phone.expectCall(5000);
    await call.expectPlayback(/^sound:http:\/\/127\.0\.0\.1:\d+\/media\//, 5000);
    await call.expectPlayback('dozvon/menu', 10000);
    call.press('1');
    await call.expectHangup(10000);
    const played = w.asterisk.mediaPlayed(call.channelId);
    expect(played).to.not.include('sound:dozvon/incident');
    const rows = await w.until(async () => {
      const r = await w.t.app.db('attempts').where({ notification_id: id });
      return r[0]?.ended_at ? r : null;
    }, 'the attempt');
    expect(rows[0].speech).to.equal(null);
    expect(w.asterisk.mediaFetches.filter((f) => f.outcome === 'ok').length).to.be.greaterThan(0);
  });
});
