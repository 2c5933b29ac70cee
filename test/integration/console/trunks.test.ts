/**
 * A trunk whose carrier refuses every call, noticed by its test call at start: the settings
 * page, the self-checks (which tell the admins), /readyz and /metrics all say it is down, and the
 * other trunk stays up.
 */
import { expect } from 'chai';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { FakeAsterisk } from '../../fakes/asterisk';
import { startConsoleApp, ConsoleClient, RunningApp } from './harness';

describe('trunks on the console, /readyz and /metrics', () => {
  let asterisk: FakeAsterisk;
  let app: RunningApp;
  let c: ConsoleClient;
  before(async () => {
    asterisk = await FakeAsterisk.start({ timeScale: 0.01 });
    asterisk.trunk('carrier-a', { kind: 'refuse', cause: 21, sipCode: 403 });
    const file = join(tmpdir(), `dozvon-trunks-${process.pid}-${Date.now()}.yaml`);
    writeFileSync(
      file,
      'trunks:\n' +
        '  - { name: first, dial: "PJSIP/{number}@carrier-a", test: { number: "15550009999", every: 30, answer_within: 5 } }\n' +
        '  - { name: second, dial: "PJSIP/{number}@carrier-b", max_calls: 4 }\n',
    );
    app = await startConsoleApp({
      DOZVON_CONFIG: file,
      DOZVON_ARI_URL: asterisk.url,
      DOZVON_ARI_USER: asterisk.user,
      DOZVON_ARI_PASSWORD: asterisk.password,
    }).finally(() => rmSync(file, { force: true }));
    c = await ConsoleClient.signIn(app.url);
  });
  after(async () => {
    await app?.close();
    await asterisk?.close();
  });

  it('a test call answered 403 (credit run out) marks the trunk down everywhere', async () => {
    let metrics = '';
    for (let i = 0; i < 100 && !/dozvon_trunk_test_calls_total\{trunk="first",result="failed"\} 1/.test(metrics); i++) {
      await new Promise((r) => setTimeout(r, 50));
      metrics = await app.app.metrics.registry.metrics();
    }
    expect(asterisk.requests.find((r) => r.path === '/ari/channels')?.query.endpoint).to.equal('PJSIP/15550009999@carrier-a');
    expect(metrics).to.match(/dozvon_trunk_up\{trunk="first"\} 0/);
    expect(metrics).to.match(/dozvon_trunk_up\{trunk="second"\} 1/);
    expect(metrics).not.to.match(/dozvon_trunk_test_last_success_timestamp_seconds\{trunk="first"\}/);

    await app.app.checks.runNow();
    const check = app.app.checks.latest().find((r) => r.name === 'trunk:first');
    expect(check).to.include({ ok: false, state: 'down' });
    expect(check?.detail).to.match(/test call failed: rejected \(cause 21, SIP 403\)/);
    expect(app.app.checks.latest().find((r) => r.name === 'trunk:second')).to.include({ ok: true });

    const ready = (await (await fetch(`${app.url}/readyz`)).json()) as { checks: Record<string, string> };
    expect(ready.checks.trunks).to.match(/^degraded: first test call failed: rejected/);

    const page = await c.html('/console/settings');
    const card = /id="trunks".*?<\/section>/s.exec(page)?.[0] ?? '';
    expect(card).to.match(/first<\/span><\/td><td><span class="badge \w+">down<\/span>/);
    expect(card).to.match(/second<\/span><\/td><td><span class="badge \w+">ok<\/span> carrying calls/);
    expect(card).to.include('0 / 4');
    expect(card).to.include('rejected (cause 21, SIP 403)');
  });
});
