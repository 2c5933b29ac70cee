/**
 * The README's getting started, done from the console against the real Asterisk: a person added
 * through the console's form, a test call started from their page, its progress read live from
 * the page's event stream while the phone rings, answers and presses 1 over real SIP/RTP, and the
 * phone's recording checked to be the greeting and test text it was played.
 */
import { expect } from 'chai';
import { useRealAsterisk } from './setup';
import { realWorld, RealWorld, ADMIN_TOKEN } from './world';
import { measure } from './audio';
import { EventStream, stepTexts } from '../helpers/sse';

describe('real Asterisk: a test call from the console', function () {
  const asterisk = useRealAsterisk(this);
  let w: RealWorld;
  let stream: EventStream | undefined;

  afterEach(async () => {
    stream?.close();
    await w?.close();
  });

  it('add a person in the console, press Test call, watch it dial, ring, answer and take 1 live', async () => {
    w = await realWorld(asterisk(), { env: { DOZVON_TTS: 'espeak' } });
    const auth = { authorization: `Bearer ${ADMIN_TOKEN}` };
    const post = (path: string, fields: Record<string, string>) =>
      fetch(`${w.url}${path}`, { method: 'POST', headers: auth, body: new URLSearchParams(fields), redirect: 'manual' });

    const added = await post('/console/people/new', {
      email: 'alice@example.com',
      name: 'Alice Smith',
      phone: '+15550001111',
      lang: 'en',
      channels: 'voice',
    });
    expect(added.status, await added.clone().text()).to.equal(303);
    const started = await post('/console/people/alice%40example.com/test-call', {});
    expect(started.status).to.equal(303);
    const id = /\/test\/(\d+)/.exec(started.headers.get('location') ?? '')?.[1];
    expect(id, 'the progress page of the test call').to.be.a('string');

    stream = await EventStream.open(`${w.url}/console/people/alice%40example.com/test/${id}/events`, auth);
    const call = await w.phones.expectCall('15550001111');
    await call.ring();
    await new Promise((r) => setTimeout(r, 500));
    await call.answer();
    const menu = await w.phones.waitPlayback((m) => m.endsWith('dozvon/menu'), 'the menu');
    await w.phones.waitEvent((e) => e.type === 'PlaybackFinished' && e.playback?.id === menu.id, 'the menu to finish');
    await call.press('1');
    const events = await stream.until((e) => e.event === 'done', 60_000);
    const steps = stepTexts(events);
    const done = JSON.parse(events.find((e) => e.event === 'done')!.data) as { state: string; outcome: string };
    await call.waitEnded();

    const order = ['Dialing', 'Ringing', 'Answered', 'Pressed 1', 'Call ended: answered'];
    let at = -1;
    for (const o of order) {
      const i = steps.findIndex((s) => s.startsWith(o));
      expect(i, `${o} after step ${at} in ${JSON.stringify(steps)}`).to.be.greaterThan(at);
      at = i;
    }
    expect(done).to.include({ state: 'delivered' });
    const heard = measure(await call.recording());
    expect(heard.voicedSeconds, 'the phone heard speech').to.be.greaterThan(2);
    const page = await (await fetch(`${w.url}/console/people/alice%40example.com/test/${id}`, { headers: auth })).text();
    expect(page).to.include('Pressed 1');
    const audit = (await w.app.db('audit_log').orderBy('id').pluck('action')) as string[];
    expect(audit).to.deep.equal(['user.create', 'user.test-call']);
  });
});
