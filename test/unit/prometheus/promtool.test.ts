/**
 * The Prometheus rules file and dozvon's /metrics as promtool sees them. CI installs promtool
 * (.ci/apt-packages: prometheus) and must run these: there a missing promtool fails the test.
 */
import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Metrics } from '../../../src/metrics';

const DIR = join(__dirname, '../../../docs/prometheus');
const PROMTOOL = ['/usr/bin/promtool', '/usr/local/bin/promtool'].find((p) => existsSync(p)) ?? null;

function promtool(args: string[], input?: string): { status: number | null; out: string } {
  const r = spawnSync(PROMTOOL!, args, { cwd: DIR, input, encoding: 'utf8', timeout: 60_000 });
  return { status: r.status, out: `${r.stdout}${r.stderr}${r.error ? String(r.error) : ''}` };
}

describe('Prometheus: rules file and /metrics pass promtool', function () {
  this.timeout(120_000); // promtool replays a day of series: seconds on a loaded machine
  before(function () {
    if (PROMTOOL) return;
    if (process.env.CI === 'true') throw new Error('promtool is missing: CI must install the prometheus package (.ci/apt-packages)');
    this.skip();
  });

  it('promtool check rules accepts docs/prometheus/dozvon-rules.yml', () => {
    const r = promtool(['check', 'rules', 'dozvon-rules.yml']);
    expect(r.status, r.out).to.equal(0);
  });

  it('promtool test rules: the SLO alert and the trunk alert fire and stay quiet as the test file says', () => {
    const r = promtool(['test', 'rules', 'dozvon-rules.test.yml']);
    expect(r.status, r.out).to.equal(0);
    expect(r.out).to.match(/SUCCESS/);
  });

  it('promtool check metrics accepts what /metrics serves, delivery metrics included', async () => {
    const m = new Metrics();
    try {
      m.notificationReceived('call', 'oncall-cloud');
      m.notificationFinished('call', 'digit');
      m.callAttempt('answered', 16);
      m.dispatchLatency(0, 1500);
      m.delivery.firstRing('voice', 'carrier-a', 4);
      m.delivery.firstRing('sms', null, 2);
      m.delivery.acknowledged('voice', null, 90);
      m.delivery.counted('voice', 'carrier-a', 90);
      m.delivery.counted('sms', null, null);
      const body = (await m.scrape()).body;
      expect(body).to.contain('dozvon_pages_acked_total{channel="voice",trunk="carrier-a",within="5m"} 1');
      const r = promtool(['check', 'metrics'], body);
      expect(r.status, r.out).to.equal(0);
    } finally {
      m.stop();
    }
  });
});
