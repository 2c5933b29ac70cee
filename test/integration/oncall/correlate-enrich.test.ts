import { expect } from 'chai';
import { HttpOnCallClient } from '../../../src/oncall/http-client';
import { Correlator } from '../../../src/oncall/correlate';
import { Enricher } from '../../../src/oncall/enrich';
import { FakePageStore } from '../../fakes/page-store';
import { FakeOnCall } from '../../fakes/oncall';

const FQDN = /\b(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+(?:[a-z]{2,63}|local|internal|lan)\b/i;
const phone = (integration: string, title: string, n: number) =>
  `You are invited to check an Alert Group from Grafana OnCall. Alert via ${integration} with title ${title} triggered ${n} times`;

describe('Correlator and Enricher against the fake OnCall engine', () => {
  let oncall: FakeOnCall;
  let client: HttpOnCallClient;
  let pages: FakePageStore;
  let correlator: Correlator;
  let integ: string;
  const now = () => Date.now();

  beforeEach(async () => {
    oncall = await FakeOnCall.start();
    oncall.state.addUser({ email: 'svc@example.com', token: 'svc' });
    integ = oncall.state.addIntegration({ name: 'Prod', type: 'formatted_webhook' }).id;
    client = new HttpOnCallClient({ baseUrl: oncall.url, token: 'svc', timeoutMs: 1000 });
    pages = new FakePageStore();
    correlator = new Correlator({ client, pages, timeoutMs: 500 });
  });
  afterEach(() => oncall.close());

  it('exact: a known id (webhook) and a permalink in the message', async () => {
    const g = oncall.state.addAlertGroup({ integrationId: integ, title: 'High CPU' });
    const viaHook = await correlator.correlate({ message: 'x', alertGroupId: g.id, email: 'a@x.io', receivedAt: now() });
    expect(viaHook).to.include({ correlation: 'exact', alertGroupId: g.id, via: 'webhook' });
    expect(viaHook.group?.title).to.equal('High CPU');
    const msg = phone('Prod - Formatted webhook', `High CPU ref http://grafana.test/a/grafana-oncall-app/alert-groups/${g.id}`, 1);
    expect(await correlator.correlate({ message: msg, email: 'a@x.io', receivedAt: now() })).to.include({
      correlation: 'exact',
      alertGroupId: g.id,
      via: 'link',
    });
  });

  it('exact: a page we created ourselves, once', async () => {
    const g = oncall.state.addAlertGroup({ integrationId: integ, title: 'Other' });
    await pages.remember('Bob@example.com', g.id, now());
    const first = await correlator.correlate({
      message: phone('Direct paging (No team)', 'help', 1),
      email: 'bob@example.com',
      receivedAt: now(),
    });
    expect(first).to.include({ correlation: 'exact', alertGroupId: g.id, via: 'own-page' });
    const second = await correlator.correlate({ message: 'custom', email: 'bob@example.com', receivedAt: now() });
    expect(second.correlation).to.equal('none');
  });

  it('matched: the one firing group with that integration, title (quotes stripped) and count', async () => {
    const g = oncall.state.addAlertGroup({ integrationId: integ, title: 'Disk "full" on **db-1.example.com**', alerts: [{}, {}] });
    oncall.state.addAlertGroup({ integrationId: integ, title: 'Something else' });
    oncall.state.addAlertGroup({ integrationId: integ, title: 'Disk "full" on **db-1.example.com**', state: 'resolved' });
    const r = await correlator.correlate({
      message: phone('Prod - Formatted webhook', 'Disk full on db-1.example.com', 2),
      email: 'a@x.io',
      receivedAt: now(),
    });
    expect(r).to.include({ correlation: 'matched', alertGroupId: g.id, via: 'lookup' });
    const q = oncall.requestsTo('GET', '/api/v1/alert_groups')[0].query;
    expect(q.get('state')).to.equal('new');
  });

  it('none when ambiguous: two firing groups look the same', async () => {
    oncall.state.addAlertGroup({ integrationId: integ, title: 'Incident' });
    oncall.state.addAlertGroup({ integrationId: integ, title: 'Incident' });
    const r = await correlator.correlate({ message: phone('Prod - Formatted webhook', 'Incident', 1), email: 'a@x.io', receivedAt: now() });
    expect(r).to.include({ correlation: 'none', alertGroupId: null });
    expect(r.reason).to.match(/ambiguous/);
  });

  it('none, without blocking, when OnCall is slow or down', async () => {
    oncall.setDelay(2000);
    const t0 = Date.now();
    const slow = await correlator.correlate({ message: phone('Prod - Formatted webhook', 'x', 1), email: 'a@x.io', receivedAt: now() });
    expect(slow).to.include({ correlation: 'none', reason: 'deadline reached' });
    expect(Date.now() - t0).to.be.below(1500);
    oncall.setDelay(0);
    await oncall.setDown('refused');
    const down = await correlator.correlate({ message: phone('Prod - Formatted webhook', 'x', 1), email: 'a@x.io', receivedAt: now() });
    expect(down.correlation).to.equal('none');
    expect(down.reason).to.match(/unreachable/);
  });

  it('enriches: integration name, host from the payload, severity, who acknowledged; both languages', async () => {
    const alice = oncall.state.addUser({ email: 'alice@example.com', username: 'alice' });
    const g = oncall.state.addAlertGroup({
      integrationId: integ,
      title: 'High CPU',
      labels: { severity: 'critical' },
      createdAt: now() - 5 * 60_000,
      alerts: [
        { labels: { instance: 'db-1.prod.example.com:9100' }, generatorURL: 'http://grafana.example.com/x' },
        {},
        { labels: { instance: 'db-1.prod.example.com:9100' } },
      ],
      state: 'acknowledged',
      by: alice.id,
    });
    const c = await correlator.correlate({ message: 'x', alertGroupId: g.id, email: 'a@x.io', receivedAt: now() });
    const enricher = new Enricher({
      client,
      fqdnRegex: FQDN,
      nameOf: async (email) => (email === 'alice@example.com' ? 'Alice Smith' : null),
    });
    const s = await enricher.summarize(c, now());
    expect(s).to.include({
      integration: 'Prod',
      host: 'db-1.prod.example.com',
      severity: 'critical',
      acknowledgedBy: 'Alice Smith',
      alertsCount: 3,
    });
    expect(s.sentences.en).to.equal(
      'Incident: High CPU. Severity: critical. Source: Prod. Host: db-1.prod.example.com. 3 alerts, started 5 minutes ago. Already acknowledged by Alice Smith.',
    );
    expect(s.sentences.ru).to.equal(
      'Инцидент: High CPU. Важность: critical. Источник: Prod. Хост: db-1.prod.example.com. 3 алерта, начался 5 минут назад. Уже подтвердил: Alice Smith.',
    );
  });

  it('enrichment without OnCall reads the message, host from the title', async () => {
    const enricher = new Enricher({ client: null, fqdnRegex: FQDN });
    const c = await new Correlator({ client: null, pages }).correlate({
      message: phone('Prod - Formatted webhook', 'Disk full on web-2.example.org', 4),
      email: 'a@x.io',
      receivedAt: now(),
    });
    const s = await enricher.summarize(c, now());
    expect(s.sentences.en).to.equal(
      'Incident: Disk full on web-2.example.org. Source: Prod - Formatted webhook. Host: web-2.example.org. 4 alerts.',
    );
  });
});
