/**
 * A digit acts on OnCall only for pages tied to an alert group. A call
 * that bundled an OnCall page, an OnCall page whose incident is unknown and a heartbeat page
 * says what happened to each.
 */
import { expect } from 'chai';
import { runMenuAction, resultPrompt, MenuActions, type MenuResult } from '../../../src/ivr/menu-actions';
import type { PageTaking } from '../../../src/ivr/without-oncall';
import type { ActionContext } from '../../../src/oncall/actions';
import type { Notification } from '../../../src/db/notifications-repo';
import type { CallLeg } from '../../../src/telephony';
import type { Tts } from '../../../src/tts/types';
import { silentLogger } from '../../../src/core/log';
import { FakeClock } from '../../fakes/clock';

const page = (id: number, source: string, alertGroupId: string | null) => ({
  notification: { id, source, message: `page ${id}` } as Notification,
  alertGroupId,
});

function input(pages: ReturnType<typeof page>[], digit = '1') {
  const acked: string[][] = [];
  const taken: number[][] = [];
  const actions = {
    acknowledge: async (ctx: ActionContext) => (
      acked.push(ctx.alertGroupIds),
      { status: 'done', action: 'acknowledge', spoken: { en: 'Acknowledged.', ru: 'Подтверждено.' }, detail: 'ok' }
    ),
    resolve: async () => {
      throw new Error('not expected');
    },
    escalate: async () => {
      throw new Error('not expected');
    },
    reassign: async () => {
      throw new Error('not expected');
    },
    reassignMenu: () => null,
  } as unknown as MenuActions;
  const taking: PageTaking = { take: async (ps) => (taken.push(ps.map((p) => p.id)), { told: ['Bob Jones'] }) };
  const states: string[] = [];
  return {
    acked,
    taken,
    states,
    run: () =>
      runMenuAction({
        digit,
        leg: {} as CallLeg,
        lang: 'en',
        pages,
        actions,
        taking,
        ctx: { alertGroupIds: [], actor: { name: 'Alice Smith', email: 'alice@example.com' }, channel: 'phone' },
        clock: new FakeClock(),
        tts: {} as Tts,
        log: silentLogger(),
        signal: new AbortController().signal,
        enter: (s) => void states.push(s),
        onDigits: () => undefined,
      }),
  };
}

describe('menu actions by page origin', () => {
  it('a bundle: OnCall acknowledges only its own group, the unknown incident and the heartbeat are answered apart', async () => {
    const t = input([page(1, 'oncall-cloud', 'G1'), page(2, 'oncall-cloud', null), page(3, 'heartbeat', null)]);
    const r = (await t.run()) as MenuResult;
    expect(t.acked).to.deep.equal([['G1']]);
    expect(t.taken).to.deep.equal([[3]]);
    expect(r.spoken.en).to.equal(
      'Acknowledged. The incident could not be identified in OnCall, so nothing was changed. Please use OnCall. Got it. Bob Jones is told that you took it.',
    );
    expect(r).to.include({ action: 'acknowledge', status: 'done' });
    expect(t.states).to.deep.equal(['acting']);
  });

  it('only an unidentified OnCall page: nothing is asked of OnCall, and the not-identified prompt stands in for speech', async () => {
    const t = input([page(1, 'oncall-webhook', null)], '4');
    const r = (await t.run()) as MenuResult;
    expect(t.acked).to.deep.equal([]);
    expect(r).to.include({ action: 'resolve', status: 'failed' });
    expect(resultPrompt(r)).to.equal('not_identified');
  });

  it('a test call: 1 is "got it" without asking anyone; 2 says there is nothing to escalate', async () => {
    const one = (await input([page(1, 'test-call', null)]).run()) as MenuResult;
    expect(one).to.include({ action: 'take', status: 'done' });
    expect(one.spoken.en).to.equal('Got it. The test call worked. Bob Jones is told that you took it.');
    expect(resultPrompt(one)).to.equal('got_it');
    const two = (await input([page(1, 'test-call', null)], '2').run()) as MenuResult;
    expect(two.spoken.en).to.equal(
      'This page is not an OnCall incident, so there is nothing to escalate; here only 1, got it, does something.',
    );
  });

  it('OnCall pages with a group but no OnCall API configured: told so plainly', async () => {
    const r = (await runMenuAction({
      digit: '1',
      leg: {} as CallLeg,
      lang: 'ru',
      pages: [page(1, 'oncall-cloud', 'G1')],
      actions: null,
      ctx: { alertGroupIds: [], actor: { name: 'A' }, channel: 'phone' },
      clock: new FakeClock(),
      tts: {} as Tts,
      log: silentLogger(),
      signal: new AbortController().signal,
      enter: () => undefined,
      onDigits: () => undefined,
    })) as MenuResult;
    expect(r.spoken.ru).to.equal('OnCall не подключён к дозвону, поэтому ничего не изменено. Пожалуйста, воспользуйтесь OnCall.');
    expect(r.status).to.equal('failed');
  });
});
