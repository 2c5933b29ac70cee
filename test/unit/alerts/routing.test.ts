/** Integration routing rules as data, and the API's search query: pure functions. */
import { expect } from 'chai';
import { parseRoute, routeTeam } from '../../../src/alerts/integrations';
import { parsePage, parseQuery, QueryError } from '../../../src/alerts-api/query';
import { canonicalAlertsUrl } from '../../../src/alerts-api/doors';

describe('alerts: routing rules', () => {
  const integration = {
    defaultTeam: 'ops',
    rules: [parseRoute('tag:network=netops')!, parseRoute('priority:P1=sre')!, parseRoute('source:Zabbix=web')!],
  };

  it('the first matching rule picks the team; none matching leaves the default; no integration, no team', () => {
    expect(routeTeam(integration, { tags: ['disk', 'network'], priority: 'P1' })).to.equal('netops');
    expect(routeTeam(integration, { tags: ['disk'], priority: 'P1' })).to.equal('sre');
    expect(routeTeam(integration, { source: 'Zabbix' })).to.equal('web');
    expect(routeTeam(integration, { tags: ['disk'], priority: 'P2', source: 'Grafana' })).to.equal('ops');
    expect(routeTeam(integration, {})).to.equal('ops');
    expect(routeTeam(null, { tags: ['network'] })).to.equal(null);
  });

  it('parses tag, priority and source rules only', () => {
    expect(parseRoute(' tag:db = dba ')).to.deep.equal({ field: 'tag', equals: 'db', team: 'dba' });
    for (const bad of ['label:a=b', 'tag:=x', 'tag:a=', 'tag a=b']) expect(parseRoute(bad), bad).to.equal(null);
  });
});

describe('alerts API: query, paging and paths', () => {
  it('reads field: value terms joined by AND, and bare words as text', () => {
    expect(parseQuery('status: open AND priority: p1 AND tag: "disk"')).to.deep.equal({ status: 'open', priority: 'P1', tag: 'disk' });
    expect(parseQuery('acknowledged=true alias:db-2-disk')).to.deep.equal({ acknowledged: true, alias: 'db-2-disk' });
    expect(parseQuery('disk full')).to.deep.equal({ text: 'disk full' });
    expect(parseQuery('')).to.deep.equal({});
  });

  it('refuses what it cannot answer exactly, naming query', () => {
    for (const q of ['status: open OR status: closed', '(status: open)', 'count > 3', 'status: maybe', 'teams: dba', 'NOT tag: x']) {
      expect(() => parseQuery(q), q).to.throw(QueryError);
    }
  });

  it('paging defaults and limits as Opsgenie documents them', () => {
    expect(parsePage({})).to.deep.equal({ offset: 0, limit: 20, sort: 'createdAt', order: 'desc' });
    expect(parsePage({ limit: '100', offset: '40', sort: 'lastOccuredAt', order: 'asc' })).to.deep.equal({
      offset: 40,
      limit: 100,
      sort: 'lastOccurredAt',
      order: 'asc',
    });
    for (const [k, v] of [
      ['limit', '0'],
      ['limit', '101'],
      ['offset', '-1'],
      ['limit', '1.5'],
      ['sort', 'x'],
      ['order', 'up'],
    ]) {
      expect(() => parsePage({ [k]: v }), `${k}=${v}`).to.throw(QueryError);
    }
  });

  it('canonical paths: prefix, trailing and double slashes; other paths untouched', () => {
    expect(canonicalAlertsUrl('/og/v2/alerts/')).to.equal('/v2/alerts');
    expect(canonicalAlertsUrl('/v2/alerts//abc/close?identifierType=alias')).to.equal('/v2/alerts/abc/close?identifierType=alias');
    expect(canonicalAlertsUrl('/a/b/v2/alerts/requests/x')).to.equal('/v2/alerts/requests/x');
    expect(canonicalAlertsUrl('/v2/alertsx')).to.equal(null);
    expect(canonicalAlertsUrl('/v2/heartbeats/x/ping')).to.equal(null);
  });
});
