/**
 * The console's Listen button against what the phone really heard: a page on the real Asterisk,
 * the engineer presses 1 over the summary (barge-in), and the WAV the console assembles for that
 * attempt is as long as the phone's own recording and is speech, not silence.
 */
import { expect } from 'chai';
import { useStory, answered, starts, SPEECH } from './stories';
import { measure } from './audio';
import { ADMIN_TOKEN } from './world';

describe('real Asterisk: the console plays back what the phone heard', function () {
  const story = useStory(this);

  it('Listen for a call cut short by 1 over the summary matches the phone recording (±10 %)', async () => {
    const s = story();
    const { w } = s;
    const { id } = await s.page('Disk full on web-07.prod.example.com');
    const call = await answered(w);
    await starts(w, SPEECH);
    await new Promise((r) => setTimeout(r, 1200));
    await call.press('1');
    const row = await w.finished(id);
    expect(row).to.include({ state: 'delivered', outcome: 'digit' });
    await call.waitEnded();
    const phone = measure(await call.recording());

    const auth = { authorization: `Bearer ${ADMIN_TOKEN}` };
    const html = await (await fetch(`${w.url}/console/pages/${id}`, { headers: auth })).text();
    const src = /<audio[^>]*src="([^"]+)"/.exec(html)?.[1];
    expect(src, 'a Listen player on the page').to.be.a('string');
    expect(html).to.include('stopped after'); // the summary was cut by the digit, and the page says so
    const res = await fetch(new URL(src!.replace(/&amp;/g, '&'), w.url), { headers: auth });
    expect(res.status).to.equal(200);
    expect(res.headers.get('content-type')).to.match(/^audio\/wav/);
    const listen = measure(Buffer.from(await res.arrayBuffer()));
    if (process.env.DOZVON_TEST_VERBOSE)
      process.stderr.write(
        `Listen ${listen.seconds.toFixed(2)} s (voiced ${listen.voicedSeconds.toFixed(2)}), phone ${phone.seconds.toFixed(2)} s (voiced ${phone.voicedSeconds.toFixed(2)})\n`,
      );
    expect(listen.voicedSeconds, 'Listen is speech').to.be.greaterThan(1);
    expect(listen.seconds, `Listen ${listen.seconds.toFixed(2)} s vs phone ${phone.seconds.toFixed(2)} s`).to.be.within(
      phone.seconds * 0.9,
      phone.seconds * 1.1,
    );
  });
});
