/**
 * Digit 3's offer on an alert call: the members of the alerts' teams without the caller, one
 * digit each up to 9, read in the caller's language; no team means the rest of the plan.
 */
import { expect } from 'chai';
import { AlertPageActor, type TeamMembers } from '../../../src/alerts/page-actions';
import { handOverMenuText } from '../../../src/alerts/speech';
import type { AlertsService } from '../../../src/alerts/service';
import type { Alert } from '../../../src/alerts/types';
import type { User } from '../../../src/directory/user';
import type { Notification } from '../../../src/db/notifications-repo';

const person = (id: number, name: string) => ({ id, name, email: `${name.split(' ')[0].toLowerCase()}@example.com` }) as User;
const page = (alertId: string) => ({ id: 1, source: 'alert', payload: { alertId } }) as unknown as Notification;

function actor(alerts: Record<string, Partial<Alert>>, teams: Record<string, User[]>) {
  const service = { get: async (ref: { identifier: string }) => alerts[ref.identifier] ?? null } as unknown as AlertsService;
  const members: TeamMembers = { membersOf: async (t) => teams[t] ?? [] };
  return new AlertPageActor(service, { getById: async () => null }, members, { pageNow: async () => true });
}
const alice = { name: 'Alice Smith', email: 'Alice@example.com' };

describe('alerts: handing an alert over on the phone', () => {
  it('the list is the team without the caller, numbered in the team order, in English and Russian', async () => {
    const team = [person(1, 'Alice Smith'), person(2, 'Boris Ivanov'), person(3, 'Carol White')];
    const a = actor({ a1: { id: 'a1', team: 'ops' } }, { ops: team });
    const en = await a.handOverOffer([page('a1')], alice, 'en');
    expect(en).to.deep.equal({
      kind: 'choose',
      choices: [
        { digit: '1', userId: 2, name: 'Boris Ivanov' },
        { digit: '2', userId: 3, name: 'Carol White' },
      ],
      text: 'Who takes the alert over? Press 1 for Boris Ivanov, 2 for Carol White.',
    });
    const ru = await a.handOverOffer([page('a1')], alice, 'ru');
    expect(ru).to.include({ text: 'Кому передать алерт? Boris Ivanov: нажмите 1. Carol White: нажмите 2.' });
  });

  it('nine at most: one key each', async () => {
    const team = Array.from({ length: 12 }, (_, i) => person(i + 10, `P${i} X`));
    const offer = await actor({ a1: { id: 'a1', team: 'ops' } }, { ops: team }).handOverOffer([page('a1')], alice, 'en');
    expect(offer.kind === 'choose' && offer.choices.map((c) => c.digit)).to.deep.equal(['1', '2', '3', '4', '5', '6', '7', '8', '9']);
  });

  it('no team: the rest of the plan takes it; only the caller in the team: nobody else to hand it to', async () => {
    expect(await actor({ a1: { id: 'a1', team: null } }, {}).handOverOffer([page('a1')], alice, 'en')).to.deep.equal({ kind: 'plan' });
    const alone = await actor({ a1: { id: 'a1', team: 'ops' } }, { ops: [person(1, 'Alice Smith')] }).handOverOffer(
      [page('a1')],
      alice,
      'en',
    );
    expect(alone.kind === 'answer' && alone.result).to.include({ status: 'already' });
    expect(alone.kind === 'answer' && alone.result.spoken).to.deep.equal({
      en: 'There is nobody else to hand it to.',
      ru: 'Передать алерт некому.',
    });
  });

  it('acknowledged by someone else meanwhile: assigned, and the call does not claim a page went out', async () => {
    const assigned: string[] = [];
    const service = {
      get: async () => ({ id: 'a1', tinyId: 7, team: 'ops' }),
      act: async (_a: unknown, _r: unknown, p: { owner: string }) => (assigned.push(p.owner), { success: true, status: 'Assigned' }),
    } as unknown as AlertsService;
    const carol = person(3, 'Carol White');
    const a = new AlertPageActor(service, { getById: async () => carol }, { membersOf: async () => [] }, { pageNow: async () => false });
    const r = await a.handOver([page('a1')], alice, 3);
    expect(assigned).to.deep.equal(['carol@example.com']);
    expect(r).to.deep.include({ status: 'done', detail: 'alert #7: assigned to carol@example.com' });
    expect(r.spoken.en).to.equal('The alert is handed over to Carol White.');
  });

  it('the spoken list names each person with their digit', () => {
    expect(handOverMenuText([{ digit: '1', name: 'Ann Smith' }], 'en')).to.equal('Who takes the alert over? Press 1 for Ann Smith.');
  });
});
