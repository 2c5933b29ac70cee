/**
 * The Local variant: DOZVON_DIAL_TEMPLATE=Local/{number}@dozvon-out, through the shipped
 * extensions.conf ([dozvon-out] → [dial] → Dial(PJSIP/<n>@trunk)). Audio, digits and the busy
 * cause all cross the Local channel.
 */
import { expect } from 'chai';
import { useStory, answered, pressDuringMenu, items, expectHeard, rescheduled, endedAttempt, SPEECH, ALICE_PHONE } from './stories';

describe('real Asterisk: dialling through Local/…@dozvon-out', function () {
  const story = useStory(this, { env: { DOZVON_DIAL_TEMPLATE: 'Local/{number}@dozvon-out' } });

  it('the phone rings through the dialplan, hears greeting, summary and menu, and 1 acknowledges', async () => {
    const s = story();
    const { w } = s;
    const { id, group } = await s.page('Disk full on web-07');
    const call = await answered(w);
    await pressDuringMenu(w, call, '1');
    expect(await w.finished(id)).to.include({ state: 'delivered', outcome: 'digit' });
    await call.waitEnded();

    const heard = items(w);
    expect(heard[0].target, 'dozvon played to its Local channel').to.match(/^dozvon-/);
    expect(heard.map((p) => p.media)).to.satisfy(
      (m: string[]) => m[0] === 'sound:dozvon/greeting' && SPEECH.test(m[1]) && m[2] === 'sound:dozvon/menu',
    );
    const channel = w.phones.events.find((e) => e.type === 'ChannelCreated' && e.channel?.id === heard[0].target)?.channel;
    expect(channel?.name).to.match(/^Local\/\+15550001111@dozvon-out-\w+;1$/);
    expect(w.oncall.state.groups.get(group)!.acknowledgedBy).to.equal(s.alice);
    expect((await w.attempts(id))[0]).to.include({ outcome: 'answered', digits: '1', action: 'acknowledge' });
    await expectHeard(w, call, heard);
  });

  it('busy behind the Local channel is still recorded as busy (its cause comes from the ;2 half)', async () => {
    const s = story();
    const { w } = s;
    const { id } = await s.page('Queue backlog on kafka-3');
    const call = await w.phones.expectCall(ALICE_PHONE);
    await call.endWith('busy');
    const attempt = await endedAttempt(w, id);
    expect(attempt).to.include({ outcome: 'busy', answered_at: null });
    expect(attempt.cause).to.match(/^17 User busy/);
    expect((await rescheduled(w, id)).reason).to.equal('busy; busy retry 1 of 3');
  });
});
