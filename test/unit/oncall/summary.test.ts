import { expect } from 'chai';
import { relativeTime } from '../../../src/core/time';
import { parseMessage } from '../../../src/oncall/parse';
import { bundleSentences, factsFromMessage, summarize, type SummaryFacts } from '../../../src/oncall/summary';
import { alertsWord, incidentsWord } from '../../../src/oncall/words';

const NOW = Date.parse('2026-11-21T12:00:00Z');
const MIN = 60_000;

function facts(over: Partial<SummaryFacts> = {}): SummaryFacts {
  return {
    alertGroupId: 'I68T24C13IFW1',
    correlation: 'exact',
    title: 'High CPU',
    integration: 'Prod - Formatted webhook',
    host: 'db-1.example.com',
    alertsCount: 3,
    startedAt: NOW - 5 * MIN,
    state: 'firing',
    acknowledgedBy: null,
    severity: null,
    labels: {},
    permalink: null,
    message: '',
    parsedKind: 'phone',
    ...over,
  };
}

describe('oncall/summary sentences', () => {
  it('speaks the spec sentence in English', () => {
    expect(summarize(facts(), NOW).sentences.en).to.equal(
      'Incident: High CPU. Source: Prod - Formatted webhook. Host: db-1.example.com. 3 alerts, started 5 minutes ago.',
    );
  });

  it('speaks it in Russian with the right plural and word order', () => {
    expect(summarize(facts(), NOW).sentences.ru).to.equal(
      'Инцидент: High CPU. Источник: Prod - Formatted webhook. Хост: db-1.example.com. 3 алерта, начался 5 минут назад.',
    );
  });

  it('declines Russian counts: 1 алерт, 3 алерта, 5 алертов, 11 алертов, 21 алерт, 22 алерта', () => {
    expect([1, 3, 5, 11, 21, 22, 111].map((n) => alertsWord(n, 'ru'))).to.deep.equal([
      '1 алерт',
      '3 алерта',
      '5 алертов',
      '11 алертов',
      '21 алерт',
      '22 алерта',
      '111 алертов',
    ]);
    expect([1, 2].map((n) => alertsWord(n, 'en'))).to.deep.equal(['1 alert', '2 alerts']);
    expect(incidentsWord(5, 'ru')).to.equal('5 инцидентов');
  });

  it('says relative times in the listener language and a sensible unit', () => {
    expect(relativeTime(NOW - 20_000, NOW, 'en')).to.equal('just now');
    expect(relativeTime(NOW - 20_000, NOW, 'ru')).to.equal('только что');
    expect(relativeTime(NOW - 21 * MIN, NOW, 'ru')).to.equal('21 минуту назад');
    expect(relativeTime(NOW - 90 * MIN, NOW, 'en')).to.equal('90 minutes ago');
    expect(relativeTime(NOW - 3 * 60 * MIN, NOW, 'ru')).to.equal('3 часа назад');
    expect(relativeTime(NOW - 3 * 24 * 60 * MIN, NOW, 'en')).to.equal('3 days ago');
  });

  it('adds severity and who acknowledged, and leaves out what is unknown', () => {
    const s = summarize(
      facts({ severity: 'critical', host: null, integration: null, state: 'acknowledged', acknowledgedBy: 'Alice Smith', alertsCount: 1 }),
      NOW,
    );
    expect(s.sentences.en).to.equal(
      'Incident: High CPU. Severity: critical. 1 alert, started 5 minutes ago. Already acknowledged by Alice Smith.',
    );
    expect(s.sentences.ru).to.equal('Инцидент: High CPU. Важность: critical. 1 алерт, начался 5 минут назад. Уже подтвердил: Alice Smith.');
  });

  it('does not double the stop after a title that ends with one', () => {
    expect(
      summarize(facts({ title: 'Disk full!', integration: null, host: null, alertsCount: null, startedAt: null }), NOW).sentences.en,
    ).to.equal('Incident: Disk full!');
  });

  it('bundles several incidents for one person', () => {
    const a = summarize(facts(), NOW);
    const b = summarize(facts({ title: 'Disk full', host: null, alertsCount: 1, startedAt: NOW - 2 * 60 * MIN }), NOW);
    const c = summarize(facts({ title: 'Load', host: null, alertsCount: 21, startedAt: NOW - MIN }), NOW);
    expect(bundleSentences([a, b, c], 'en')).to.equal(
      'You have 3 incidents. First: Incident: High CPU. Source: Prod - Formatted webhook. Host: db-1.example.com. 3 alerts, started 5 minutes ago. ' +
        'Second: Incident: Disk full. Source: Prod - Formatted webhook. 1 alert, started 2 hours ago. ' +
        'Third: Incident: Load. Source: Prod - Formatted webhook. 21 alerts, started 1 minute ago.',
    );
    expect(bundleSentences([a, b, c], 'ru')).to.match(
      /^У вас 3 инцидента\. Первый: Инцидент: High CPU\..* Второй: .*начался 2 часа назад\. Третий: .*21 алерт, начался 1 минуту назад\.$/,
    );
    expect(bundleSentences([a], 'en')).to.equal(a.sentences.en);
  });

  it('without a correlated group, reads the message: structured for OnCall templates, cleaned otherwise', () => {
    const phone = parseMessage(
      'You are invited to check an Alert Group from Grafana OnCall. Alert via Webhook :x: with title **Disk** full triggered 2 times',
    );
    expect(summarize(factsFromMessage(phone, 'none', null), NOW).sentences.ru).to.equal(
      'Инцидент: Disk full. Источник: Webhook. 2 алерта.',
    );
    const custom = parseMessage('DB down :fire: see http://grafana:3000/a/grafana-oncall-app/alert-groups/I68T24C13IFW1');
    const s = summarize(factsFromMessage(custom, 'none', null), NOW);
    expect(s.sentences.en).to.equal('DB down see.');
    expect(s.sentences.ru).to.equal('DB down see.');
  });
});
