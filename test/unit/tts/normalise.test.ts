import { expect } from 'chai';
import { normaliseForSpeech as norm, shortenTitle, speakHost } from '../../../src/tts/normalise';
import { sayCount } from '../../../src/tts/words';

describe('tts text normalisation', () => {
  it('reads host names part by part in both languages', () => {
    expect(norm('High CPU on db-01.prod.example.com', 'en')).to.equal('High CPU on db dash 01 dot prod dot example dot com');
    expect(norm('High CPU on db-01.prod.example.com', 'ru')).to.equal('High CPU on db тире 01 точка prod точка example точка com');
    expect(speakHost('10.0.0.1:8080', 'en')).to.equal('10 dot 0 dot 0 dot 1 port 8080');
    expect(norm('disk full on web_3', 'ru')).to.equal('disk full on web подчёркивание 3');
  });

  it('honours DOZVON_FQDN_REGEX for what counts as a host', () => {
    expect(norm('down: api.corp', 'en', { fqdnRegex: /\b[a-z]+\.corp\b/i })).to.equal('down: api dot corp');
  });

  it('removes URLs, HTML, Markdown and emoji, keeping link text', () => {
    const text =
      '<p>**Disk** full :fire: 🔥 see [runbook](https://wiki.example.com/x) and https://grafana.example.com/d/abc?x=1 &amp; <a href="https://x">panel</a></p>';
    expect(norm(text, 'en')).to.equal('Disk full see runbook and and panel.');
    expect(norm('Status :blush: <https://x.io|Open dashboard>', 'ru')).to.equal('Status Open dashboard');
  });

  it('speaks durations, percentages and comparisons naturally', () => {
    expect(norm('Latency > 500ms for 5m, error rate >= 2.5%', 'en')).to.equal(
      'Latency greater than 500 milliseconds for 5 minutes, error rate at least 2.5 percent',
    );
    expect(norm('Latency > 500ms for 5m, error rate >= 2.5%', 'ru')).to.equal(
      'Latency больше 500 миллисекунд for 5 минут, error rate не меньше 2,5 процента',
    );
    expect(norm('down for 1h30m', 'en')).to.equal('down for 1 hour 30 minutes');
    expect(norm('недоступен 1ч 21 мин, 1 с', 'ru')).to.equal('недоступен 1 час 21 минута, 1 секунда');
    expect(norm('ticket #123, 12,345 requests', 'en')).to.equal('ticket number 123, 12345 requests');
  });

  it('turns Alertmanager prefixes and identifiers into words', () => {
    expect(norm('[FIRING:3] HighCPUUsage severity=critical', 'en')).to.equal('Firing, 3 alerts. High CPU Usage severity critical');
    expect(norm('[FIRING:2] disk_usage_high', 'ru')).to.equal('Тревога, 2 алерта. disk usage high');
  });

  it('keeps plain Russian text intact', () => {
    expect(norm('Инцидент: база данных недоступна.', 'ru')).to.equal('Инцидент: база данных недоступна.');
  });

  it('shortens long titles at a clause or word boundary, never on a connector', () => {
    const long =
      'Database replication lag on the primary cluster is above the threshold, and the replica in zone b has stopped applying WAL segments';
    const s = shortenTitle(long, 100);
    expect(s).to.equal('Database replication lag on the primary cluster is above the threshold');
    // The budget ends right after "and": the cut goes back past it.
    expect(shortenTitle('alpha beta gamma delta epsilon zeta eta and theta iota', 46)).to.equal('alpha beta gamma delta epsilon zeta eta');
    expect(shortenTitle('short title', 100)).to.equal('short title');
    expect(shortenTitle('Очень длинный заголовок инцидента про отказ базы данных и сервиса авторизации в дата-центре', 60)).to.not.match(
      /\s(и|в)$/,
    );
  });

  it('says counts with the right Russian plural', () => {
    expect(sayCount(1, 'alert', 'ru')).to.equal('1 алерт');
    expect(sayCount(3, 'alert', 'ru')).to.equal('3 алерта');
    expect(sayCount(11, 'incident', 'ru')).to.equal('11 инцидентов');
    expect(sayCount(21, 'incident', 'ru')).to.equal('21 инцидент');
    expect(sayCount(1, 'incident', 'en')).to.equal('1 incident');
    expect(sayCount(2, 'incident', 'en')).to.equal('2 incidents');
  });
});
