/**
 * A page is tied to an alert group only on evidence. The title is the
 * evidence; "the one firing group of that integration with that many alerts" is not.
 */
import { expect } from 'chai';
import { HttpOnCallClient } from '../../../src/oncall/http-client';
import { Correlator, pickCandidate } from '../../../src/oncall/correlate';
import { parseMessage } from '../../../src/oncall/parse';
import type { AlertGroup, OnCallIntegration } from '../../../src/oncall/types';
import { FakePageStore } from '../../fakes/page-store';
import { FakeOnCall } from '../../fakes/oncall';

const phone = (integration: string, title: string, n: number) =>
  `You are invited to check an Alert Group from Grafana OnCall. Alert via ${integration} with title ${title} triggered ${n} times`;

describe('correlation needs title evidence', () => {
  let oncall: FakeOnCall;
  let correlator: Correlator;
  let integ: string;

  beforeEach(async () => {
    oncall = await FakeOnCall.start();
    oncall.state.addUser({ email: 'svc@example.com', token: 'svc' });
    integ = oncall.state.addIntegration({ name: 'Prod', type: 'formatted_webhook' }).id;
    correlator = new Correlator({
      client: new HttpOnCallClient({ baseUrl: oncall.url, token: 'svc', timeoutMs: 1000 }),
      pages: new FakePageStore(),
      timeoutMs: 1000,
    });
  });
  afterEach(() => oncall.close());

  it('"Something nobody has seen" (1 alert) is none, not the one firing group "Disk full on web-07" with 1 alert', async () => {
    oncall.state.addAlertGroup({ integrationId: integ, title: 'Disk full on web-07', alerts: [{}] });
    const r = await correlator.correlate({
      message: phone('Prod - Formatted webhook', 'Something nobody has seen', 1),
      email: 'a@x.io',
      receivedAt: Date.now(),
    });
    expect(r).to.include({ correlation: 'none', alertGroupId: null, via: 'none' });
    expect(r.group).to.equal(undefined);
    expect(r.reason).to.equal('no title match among 1 candidate group(s)');
  });

  it('the same title is still matched, and among equal titles the alert count decides', async () => {
    oncall.state.addAlertGroup({ integrationId: integ, title: 'Disk full on web-07', alerts: [{}, {}, {}] });
    const one = oncall.state.addAlertGroup({ integrationId: integ, title: 'Disk full on web-07', alerts: [{}] });
    const r = await correlator.correlate({
      message: phone('Prod - Formatted webhook', 'Disk full on web-07', 1),
      email: 'a@x.io',
      receivedAt: Date.now(),
    });
    expect(r).to.include({ correlation: 'matched', alertGroupId: one.id, via: 'lookup' });
  });
});

describe('pickCandidate', () => {
  const integration: OnCallIntegration = { id: 'CI1', name: 'Prod' } as OnCallIntegration;
  const group = (id: string, title: string, alerts: number): AlertGroup =>
    ({ id, title, alerts_count: alerts, state: 'firing', integration_id: 'CI1' }) as AlertGroup;

  it('never names a group for its integration and alert count alone', () => {
    const parsed = parseMessage(phone('Prod - Formatted webhook', 'Something nobody has seen', 1));
    expect(pickCandidate([group('G1', 'Disk full on web-07', 1)], [integration], parsed)).to.deep.equal({
      reason: 'no title match among 1 candidate group(s)',
    });
  });

  it('a title that matches after markup is stripped is evidence', () => {
    const parsed = parseMessage(phone('Prod - Formatted webhook', 'Disk full on web-07', 2));
    expect(pickCandidate([group('G1', '**Disk full** on web-07', 2), group('G2', 'CPU', 2)], [integration], parsed).group?.id).to.equal(
      'G1',
    );
  });
});
