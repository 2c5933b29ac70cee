/**
 * Audible proof in Russian on a real Asterisk: a Russian-speaking engineer calls the hotline and
 * hears the welcome, the count with its Russian plural, the incident and the menu in full; the
 * Russian-speaking engineer on call, put through with 9, hears who calls in Russian.
 */
import { expect } from 'chai';
import { useRealAsterisk } from './setup';
import { realWorld, RealWorld } from './world';
import { expectHeardInFull, heardStart, heardToEnd, hotlineReport, isPrompt, playedOn, spokenTexts, targetOf } from './hotline-helpers';

const HOTLINE = '15550100100';
const IVAN = '+79990001122';

describe('real Asterisk: the hotline in Russian', function () {
  const asterisk = useRealAsterisk(this);
  let w: RealWorld;
  let said: ReturnType<typeof spokenTexts>;

  beforeEach(async () => {
    w = await realWorld(asterisk(), { env: { DOZVON_TTS: 'espeak' }, yaml: 'hotline:\n  schedule: Primary\n' });
    said = spokenTexts(w);
    const pyotr = w.oncall.state.addUser({ email: 'pyotr@example.com', username: 'pyotr' });
    w.oncall.state.addSchedule({ name: 'Primary', onCallNow: [pyotr.id] });
    const integ = w.oncall.state.addIntegration({ name: 'Prod' });
    w.oncall.state.addAlertGroup({ integrationId: integ.id, title: 'Replication lag on pg-2', createdAt: Date.now() - 5 * 60_000 });
    w.oncall.state.addAlertGroup({ integrationId: integ.id, title: 'Queue backlog on mq-1', createdAt: Date.now() - 3600_000 });
    await w.app.users.create({ email: 'ivan@example.com', name: 'Иван Петров', phone: IVAN, pin: '4321' }, { lang: 'ru' });
    await w.app.users.create({ email: 'pyotr@example.com', name: 'Пётр Сидоров', phone: '+79990003344' }, { lang: 'ru' });
  });

  afterEach(async function () {
    if (this.currentTest?.state === 'failed') {
      process.stderr.write(
        `phones saw: ${JSON.stringify(w.phones.events.filter((e) => e.playback).map((e) => `${e.type} ${e.playback!.target_uri} ${e.playback!.media_uri}`))}\n`,
      );
      process.stderr.write(
        `dozvon said: ${w.logs
          .filter((l) => /hotline|warn|error/.test(l))
          .slice(-30)
          .join('')}\n`,
      );
    }
    await w.close();
  });

  it('the caller hears the welcome, "2 open incidents", the newest incident and the menu in Russian, in full', async () => {
    const call = await w.phones.dial(HOTLINE, IVAN);
    const leg = await targetOf(w.phones, isPrompt('hotline_welcome'), 'the welcome');
    const at = await heardToEnd(w.phones, leg, isPrompt('hotline_menu'), 'the menu');
    const heard = playedOn(w.phones, leg).slice(0, at);
    // 2 takes the "few" form in Russian (2–4), unlike English's plural.
    expect(heard.slice(0, 4)).to.deep.equal([
      'sound:dozvon/hotline_welcome',
      'sound:dozvon/there_are',
      'number:2',
      'sound:dozvon/open_incidents_few',
    ]);
    expect(said.get(heard[4])).to.deep.include({ lang: 'ru' });
    expect(said.get(heard[4])!.text).to.match(/^Инцидент 1 из 2\. .*Replication lag on pg-2/);
    expect(heard).to.have.length(6);
    // Rendered Russian speech is fetched by Asterisk over HTTP and played in the caller's language.
    expect(asterisk().log()).to.match(/Playing 'dozvon\/hotline_welcome\.slin' \(language 'ru'\)/);
    expect(asterisk().log()).to.not.match(/Failed to retrieve URL|Playback failed/);
    await call.hangup();
    await call.waitEnded();
    expectHeardInFull(w, await call.recording(), heard, 'ru', 'the Russian caller');
    expect((await hotlineReport(w)).outcome).to.equal('hangup');
  });

  it('9: the engineer on call hears in Russian who calls and about what, in full, then the two are joined', async () => {
    const call = await w.phones.dial(HOTLINE, IVAN);
    const leg = await targetOf(w.phones, isPrompt('hotline_welcome'), 'the welcome');
    await heardStart(w.phones, leg, (m) => m.startsWith('sound:http'), 'the incident');
    await call.press('9');
    const pyotr = await w.phones.expectCall('79990003344');
    await pyotr.answer();
    const pyotrLeg = await targetOf(w.phones, (m) => said.get(m)?.text.startsWith('Звонок на горячую линию') ?? false, 'the announcement');
    const announce = playedOn(w.phones, pyotrLeg);
    expect(said.get(announce[0])).to.deep.include({ lang: 'ru' });
    expect(said.get(announce[0])!.text).to.match(/^Звонок на горячую линию от Иван Петров.*Тема: Replication lag on pg-2\. Соединяю\.$/);
    await w.phones.waitEvent(
      (e) => e.type === 'ChannelEnteredBridge' && (e.bridge as { channels: string[] }).channels.length === 2,
      'dozvon to join the two calls',
      20_000,
      true,
    );
    await pyotr.hangup();
    await call.waitEnded(10_000);
    expectHeardInFull(w, await pyotr.recording(), announce, 'ru', 'the Russian engineer');
    expect((await hotlineReport(w)).outcome).to.equal('bridged');
  });
});
