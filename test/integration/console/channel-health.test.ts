/**
 * An SMS gateway that refuses connections and has no health URL: nothing may call it ok. The
 * start page, the settings, the status page and /readyz say `unchecked` until a send fails, then
 * `degraded`, and the start page no longer says nothing needs attention.
 */
import { expect } from 'chai';
import { createServer } from 'node:net';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { startConsoleApp, ConsoleClient, RunningApp, ADMIN_TOKEN } from './harness';

/** A loopback port nobody listens on: connections to it are refused at once. */
async function refusingPort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
  const port = (s.address() as { port: number }).port;
  await new Promise<void>((resolve) => s.close(() => resolve()));
  return port;
}

describe('a sender nobody can probe, as the pages show it', () => {
  let app: RunningApp;
  let c: ConsoleClient;
  before(async () => {
    const file = join(tmpdir(), `dozvon-channel-health-${process.pid}-${Date.now()}.yaml`);
    writeFileSync(
      file,
      `senders:\n  sms: { type: http, name: gw, url: "http://127.0.0.1:${await refusingPort()}/send", body: { to: "{{to}}", text: "{{text}}" } }\n`,
    );
    app = await startConsoleApp({ DOZVON_CONFIG: file }).finally(() => rmSync(file, { force: true }));
    c = await ConsoleClient.signIn(app.url);
  });
  after(async () => app?.close());

  const state = (html: string) => /id="checks".*?<td>sender:gw<\/td><td><span class="badge \w+">([^<]+)</s.exec(html)?.[1];

  it('says unchecked before any send, everywhere a check state shows', async () => {
    await app.app.checks.runNow();
    expect(app.app.checks.latest().find((r) => r.name === 'sender:gw')).to.include({ state: 'unchecked', ok: true });
    const home = await c.html('/console/');
    expect(home).not.to.include('Nothing needs attention');
    expect(home).to.include('nothing can check sender:gw');
    expect(state(await c.html('/console/settings'))).to.equal('unchecked');
    const status = await (await fetch(`${app.url}/`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } })).text();
    expect(status).to.match(/<span class="badge \w+">unchecked<\/span> sender:gw/);
    const ready = (await (await fetch(`${app.url}/readyz`)).json()) as { checks: Record<string, string> };
    expect(ready.checks.sms).to.match(/^unchecked: sender:gw unchecked: not checked/);
  });

  it('says degraded once a send was refused, and the start page asks for attention', async () => {
    const gw = app.app.senders.byName('gw')!;
    await gw
      .send({ to: { phone: '+79161234567', contacts: {}, email: 'alice@example.com', name: 'Alice' }, text: 'test', priority: 'high' })
      .then(
        () => expect.fail('the refusing gateway accepted a message'),
        () => undefined,
      );
    await app.app.checks.runNow();
    const home = await c.html('/console/');
    expect(home).not.to.include('Nothing needs attention');
    expect(home).to.include('Self-check “sender:gw” is degraded');
    expect(state(await c.html('/console/settings'))).to.equal('degraded');
    const ready = (await (await fetch(`${app.url}/readyz`)).json()) as { checks: Record<string, string> };
    expect(ready.checks.sms).to.match(/^degraded: sender:gw degraded: the last send failed/);
  });
});
