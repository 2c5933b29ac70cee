/**
 * The requests Alertmanager's opsgenie_configs, Grafana's Opsgenie contact point and Zabbix's
 * Opsgenie media type send (contracts/opsgenie-alert.md §4), byte for byte in shape, and what
 * each needs back.
 */
import { expect } from 'chai';
import { alertsHarness, AlertsHarness } from './harness';

const GROUP_ALIAS = 'a3f1c0de9b8e7d6c5b4a39281706f5e4d3c2b1a09f8e7d6c5b4a392817061234';

describe('Opsgenie Alert API: what real clients send', function () {
  this.timeout(20000);
  let h: AlertsHarness;
  beforeEach(async () => {
    h = await alertsHarness();
  });
  afterEach(() => h.close());

  const alert = async (alias: string) => (await h.og('GET', `/v2/alerts/${alias}?identifierType=alias`)).body.data;

  it('Alertmanager 0.25: create under the api_url prefix, repeats deduplicate, update_alerts PUTs are accepted, the resolved close ends it', async () => {
    const create = {
      alias: GROUP_ALIAS,
      message: '[FIRING:1] DiskFull db-2 (node critical)',
      description: 'Disk / is 97% full\n\nLabels:\n - alertname = DiskFull\n - instance = db-2:9100\n',
      details: { alertname: 'DiskFull', instance: 'db-2:9100', severity: 'critical' },
      source: 'http://am.example:9093/#/alerts?receiver=dozvon',
      responders: [{ name: 'dba', type: 'Team' }],
      tags: ['disk', 'prod'],
      note: '',
      priority: 'P2',
    };
    expect((await h.og('POST', '/am/v2/alerts', create)).status).to.equal(202);
    expect((await h.og('POST', '/am/v2/alerts', { ...create, message: '[FIRING:2] DiskFull db-2' })).status).to.equal(202);
    const a = await alert(GROUP_ALIAS);
    expect(a).to.include({ count: 2, message: create.message, priority: 'P2', status: 'open' });
    expect(a.responders).to.deep.equal([{ type: 'team', name: 'dba' }]);
    expect(a.details).to.deep.equal(create.details);
    const put = await h.og('PUT', `/am/v2/alerts/${GROUP_ALIAS}/message?identifierType=alias`, { message: 'new' });
    expect(put.status, 'update_alerts message').to.equal(202);
    const desc = await h.og('PUT', `/am/v2/alerts/${GROUP_ALIAS}/description?identifierType=alias`, { description: 'now 99%' });
    expect(desc.status, 'update_alerts description').to.equal(202);
    expect(await alert(GROUP_ALIAS)).to.include({ message: 'new', description: 'now 99%', count: 2 });
    expect((await h.og('PUT', `/am/v2/alerts/${GROUP_ALIAS}/priority?identifierType=alias`, { priority: 'P0' })).status).to.equal(422);
    const close = await h.og('POST', `/am/v2/alerts/${GROUP_ALIAS}/close?identifierType=alias`, { source: create.source });
    expect(close.status).to.equal(202);
    expect((await alert(GROUP_ALIAS)).status).to.equal('closed');
  });

  it('Grafana: create at the full alerts URL with tags as an array, close at <apiUrl>/<alias>/close (double slash when apiUrl ends in /)', async () => {
    const body = {
      alias: GROUP_ALIAS,
      message: '[FIRING:1] HighLatency api (prod)',
      description: '[FIRING:1] HighLatency api (prod)\nhttp://grafana/alerting/list\n\n**Firing**\n\nValue: B=1.2\n',
      details: { url: 'http://grafana/alerting/list', alertname: 'HighLatency', image_urls: '' },
      tags: ['alertname:HighLatency', 'env:prod'],
      source: 'Grafana',
      priority: 'P1',
    };
    expect((await h.og('POST', '/v2/alerts/', body)).status).to.equal(202);
    expect(await alert(GROUP_ALIAS)).to.include({ priority: 'P1', source: 'Grafana' });
    const close = await h.og('POST', `/v2/alerts//${GROUP_ALIAS}/close?identifierType=alias`, { source: 'Grafana' });
    expect(close.status).to.equal(202);
    expect((await alert(GROUP_ALIAS)).status).to.equal('closed');
  });

  it('Zabbix: exactly 202 with result, polls the request at once for data.success and data.alertId, then acknowledges and closes by event id', async () => {
    const create = await h.og('POST', '/v2/alerts/', {
      message: 'Problem: High CPU on web-1',
      alias: '4711',
      description: 'Problem started at 10:15:04 on 2026.03.02\nProblem name: High CPU on web-1\nHost: web-1\nSeverity: High',
      priority: 'P2',
      source: 'Zabbix',
      details: { 'Zabbix server': 'https://zabbix.example', Problem: 'https://zabbix.example/tr_events.php?triggerid=1&eventid=4711' },
      responders: [{ type: 'team', name: 'web' }],
      tags: ['scope:performance', 'host:web-1'],
    });
    expect(create.status).to.equal(202);
    expect(create.body).to.have.property('result');
    const poll = await h.og('GET', `/v2/alerts/requests/${create.body.requestId}`);
    expect(poll.status).to.equal(200);
    expect(poll.body.data.success).to.equal(true);
    const alertId = poll.body.data.alertId as string;
    expect(alertId).to.have.length(36);
    for (const action of ['acknowledge', 'notes', 'unacknowledge', 'close']) {
      const r = await h.og('POST', `/v2/alerts/4711/${action}?identifierType=alias`, {
        user: 'Admin',
        note: 'Zabbix update: working on it',
      });
      expect(r.status, action).to.equal(202);
      const s = await h.og('GET', `/v2/alerts/requests/${r.body.requestId}`);
      expect(s.body.data, action).to.include({ success: true, alertId });
    }
    expect((await alert('4711')).status).to.equal('closed');
  });
});
