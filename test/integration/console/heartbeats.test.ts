/**
 * The heartbeats console over HTTP, as an operator uses it: create (and the CLI's refusals), edit,
 * pause, resume, remove, test ping, the audit trail, and every ping URL and pasted line the page
 * shows, called for real against the running app (whose public URL is its real address, under a
 * path prefix) until the heartbeat's last ping, state and history move.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { startConsoleApp, ConsoleClient, RunningApp, ADMIN_TOKEN } from './harness';
import { codeText, copyValue, curlRequest, freePort, runCurl } from './heartbeats-support';
import { parseYaml } from '../../../src/core/yaml';

const KEY1 = 'hb-key-one-0123456789abcdef';
const KEY2 = 'hb-key-two-fedcba9876543210';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface AuditRow {
  actor: string;
  action: string;
  target: string;
  detail: Record<string, unknown> | null;
}

describe('console heartbeats over HTTP', () => {
  let app: RunningApp;
  let c: ConsoleClient;
  let publicUrl: string;
  let dir: string;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'dozvon-hb-console-'));
    const file = join(dir, 'dozvon.yaml');
    // Refused at start (nobody is in the directory yet) but still declared: the console must treat it as the file's.
    writeFileSync(file, 'heartbeats:\n  declare:\n    - { name: nightly, every: 1d, page: [alice@example.com] }\n');
    const port = await freePort();
    publicUrl = `http://127.0.0.1:${port}/dozvon/`;
    app = await startConsoleApp({
      DOZVON_LISTEN: `127.0.0.1:${port}`,
      DOZVON_PUBLIC_URL: publicUrl,
      DOZVON_HEARTBEAT_KEYS: `${KEY1},${KEY2}`,
      DOZVON_CONFIG: file,
    });
    // The watcher starts under its lease, after start() returns: people added before it read the
    // declarations would let "nightly" be created. Wait until it has refused it.
    for (let i = 0; i < 200 && app.app.heartbeats.refusedDeclarations().length === 0; i++) await sleep(25);
    expect(app.app.heartbeats.refusedDeclarations(), 'nightly refused at start').to.have.length(1);
    await app.app.users.create({ email: 'alice@example.com', name: 'Alice Smith', phone: '+79161234567' }, { lang: 'en' });
    await app.app.users.create({ email: 'bob@example.com', name: 'Bob Jones', phone: '+15557654321' }, { lang: 'en' });
    c = await ConsoleClient.signIn(app.url);
  });
  after(async () => {
    await app?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const audit = async (action: string): Promise<AuditRow[]> => {
    const res = await fetch(`${app.url}/api/admin/audit?action=${action}`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });
    expect(res.status).to.equal(200);
    return ((await res.json()) as { results: AuditRow[] }).results;
  };
  const hb = (name: string) => app.app.heartbeats.get(name);
  const create = (fields: Record<string, string | string[]>, headers: Record<string, string> = {}) =>
    c.post('/console/heartbeats/new', { kind: 'healthchecks', grace: '1m', ...fields }, { headers });

  it('explains what a heartbeat is when there is none, and points to the form', async () => {
    const html = await c.html('/console/heartbeats');
    expect(html).to.include('id="empty"').and.include('dead man’s switch').and.include('href="/console/heartbeats/new"');
    const form = await c.html('/console/heartbeats/new');
    expect(form).to.include('name="every"').and.include('value="alice@example.com"').and.include('value="bob@example.com"');
    expect(form).to.include('Tick at least one person: no default list');
  });

  it('creates a heartbeat from the form: stored, audited (console and admin API), listed', async () => {
    const res = await create({ name: 'backup', every: '5m', page: 'alice@example.com', description: 'pg_dump on db-1' });
    expect(res.status).to.equal(303);
    expect(res.headers.get('location')).to.equal('/console/heartbeats/backup?done=created');
    const stored = await hb('backup');
    expect(stored).to.include({ kind: 'healthchecks', periodS: 300, graceS: 60, state: 'new', description: 'pg_dump on db-1' });
    expect(stored!.page).to.deep.equal(['alice@example.com']);
    const entry = (await audit('heartbeat.create')).find((e) => e.target === 'backup');
    expect(entry, 'audit entry').to.not.equal(undefined);
    expect(entry!.actor).to.match(/console|admin/);
    expect(entry!.detail).to.deep.include({ every: '5m', grace: '1m', page: ['alice@example.com'] });
    const list = await c.html('/console/heartbeats');
    expect(list).to.include('href="/console/heartbeats/backup"').and.include('data-state="new"').and.include('every 5 min, grace 1 min');
    expect(list).to.include('title="alice@example.com"><bdi>Alice Smith</bdi></span>');
    const page = await c.html('/console/heartbeats/backup?done=created');
    expect(page).to.include('Heartbeat created.');
  });

  it('refuses what the CLI refuses with 400 and the field marked, storing nothing', async () => {
    const before = (await app.app.heartbeats.list()).length;
    const audited = (await audit('heartbeat.create')).length;
    const cases: [Record<string, string | string[]>, string, RegExp][] = [
      [{ name: 'bad-period', every: 'soon', page: 'alice@example.com' }, 'every', /&quot;soon&quot; is not a duration/],
      [{ name: 'zero-period', every: '0s', page: 'alice@example.com' }, 'every', /is not a duration/],
      [{ name: 'long-period', every: '400d', page: 'alice@example.com' }, 'every', /365 days/],
      [{ name: 'long-grace', every: '1h', grace: '8d', page: 'alice@example.com' }, 'grace', /0 to 7 days/],
      [
        { name: 'ghost', every: '5m', page: ['alice@example.com', 'ghost@example.com'] },
        'page',
        /Not in the directory: ghost@example.com\./,
      ],
      [{ name: 'nobody', every: '5m' }, 'page', /would page no one/],
      [{ name: 'not-mail', every: '5m', page: 'not-an-email' }, 'page', /is not an e-mail address/],
      [{ name: 'backup', every: '5m', page: 'alice@example.com' }, 'name', /already exists/],
      [{ name: 'a/b', every: '5m', page: 'alice@example.com' }, 'name', /without &quot;\/&quot;/],
      [{ name: '   ', every: '5m', page: 'alice@example.com' }, 'name', /1 to 200 characters/],
      [{ name: 'new', every: '5m', page: 'alice@example.com' }, 'name', /cannot be used as a name/],
      [{ name: 'x'.repeat(201), every: '5m', page: 'alice@example.com' }, 'name', /1 to 200 characters/],
      [{ name: 'odd-kind', every: '5m', kind: 'pager', page: 'alice@example.com' }, 'kind', /not a kind dozvon knows/],
    ];
    for (const [fields, field, message] of cases) {
      const res = await create(fields);
      const html = await res.text();
      const label = JSON.stringify(fields);
      expect(res.status, label).to.equal(400);
      if (field === 'page' || field === 'kind')
        expect(html, label).to.match(new RegExp(`<(fieldset|div) class="field invalid"[^>]*>[\\s\\S]*?name="${field}"`));
      else expect(html, label).to.include(`id="f-${field}-error"`).and.include(`aria-invalid="true"`);
      expect(html, label).to.match(message);
      expect(html, label).to.include('Please correct the marked fields.');
    }
    expect((await app.app.heartbeats.list()).length).to.equal(before);
    expect((await audit('heartbeat.create')).length).to.equal(audited);
  });

  it('keeps what was typed when it re-renders the form', async () => {
    const res = await create({ name: 'kept', every: 'soon', grace: '2m', page: 'bob@example.com', description: 'typed text' });
    const html = await res.text();
    expect(html).to.include('value="kept"').and.include('value="soon"').and.include('value="2m"').and.include('typed text');
    expect(html).to.match(/value="bob@example.com" id="f-page-\d+" checked/);
  });

  it('edits period, grace, page list and description; the audit says what changed', async () => {
    const form = await c.html('/console/heartbeats/backup/edit');
    expect(form).to.include('value="5m"').and.include('value="1m"').and.not.include('name="name"');
    const res = await c.post('/console/heartbeats/backup/edit', {
      every: '1h30m',
      grace: '10m',
      page: ['alice@example.com', 'bob@example.com'],
      description: 'nightly dump',
    });
    expect(res.status).to.equal(303);
    expect(res.headers.get('location')).to.equal('/console/heartbeats/backup?done=saved');
    const stored = await hb('backup');
    expect(stored).to.include({ periodS: 5400, graceS: 600, description: 'nightly dump' });
    expect(stored!.page).to.deep.equal(['alice@example.com', 'bob@example.com']);
    const entry = (await audit('heartbeat.update')).find((e) => e.target === 'backup');
    expect(entry!.detail).to.deep.equal({
      every: { from: '5m', to: '1h30m' },
      grace: { from: '1m', to: '10m' },
      page: { from: ['alice@example.com'], to: ['alice@example.com', 'bob@example.com'] },
      description: { from: 'pg_dump on db-1', to: 'nightly dump' },
    });
    const bad = await c.post('/console/heartbeats/backup/edit', { every: '1h', grace: 'later', page: [] });
    expect(bad.status).to.equal(400);
    const html = await bad.text();
    expect(html).to.include('id="f-grace-error"').and.include('would page no one');
    expect((await hb('backup'))!.periodS).to.equal(5400);
    await c.post('/console/heartbeats/backup/edit', {
      every: '5m',
      grace: '1m',
      page: 'alice@example.com',
      description: 'pg_dump on db-1',
    });
  });

  it('pauses and resumes through the state machine, audited; the list shows it paused', async () => {
    const paused = await c.post('/console/heartbeats/backup/pause', {});
    expect(paused.status).to.equal(303);
    expect(paused.headers.get('location')).to.equal('/console/heartbeats/backup?done=paused');
    expect((await hb('backup'))!.state).to.equal('paused');
    expect(await c.html('/console/heartbeats')).to.include('data-state="paused">paused</span>');
    const page = await c.html('/console/heartbeats/backup');
    expect(page).to.include('/console/heartbeats/backup/resume').and.include('>Resume</button>');
    const again = await c.post('/console/heartbeats/backup/pause', {});
    expect(again.headers.get('location')).to.equal('/console/heartbeats/backup?done=already-paused');
    const resumed = await c.post('/console/heartbeats/backup/resume', {});
    expect(resumed.headers.get('location')).to.equal('/console/heartbeats/backup?done=resumed');
    expect((await hb('backup'))!.state).to.equal('new');
    expect((await audit('heartbeat.pause')).filter((e) => e.target === 'backup')).to.have.length(1);
    expect((await audit('heartbeat.resume'))[0]).to.deep.include({ target: 'backup', detail: { from: 'paused', to: 'new' } });
    const history = (await app.app.heartbeats.history('backup')).map((e) => e.detail);
    expect(history).to.include('new → paused: paused').and.include('paused → new: resumed');
  });

  it('refuses changes without the CSRF field (403) and changes nothing', async () => {
    const before = await hb('backup');
    for (const path of [
      '/console/heartbeats/backup/pause',
      '/console/heartbeats/backup/remove',
      '/console/heartbeats/backup/ping',
      '/console/heartbeats/backup/edit',
    ]) {
      const res = await c.post(path, { every: '1m', page: 'bob@example.com' }, { csrf: null });
      expect(res.status, path).to.equal(403);
    }
    const noToken = await c.post('/console/heartbeats/new', { name: 'forged', every: '5m', page: 'alice@example.com' }, { csrf: null });
    expect(noToken.status).to.equal(403);
    expect(await hb('forged')).to.equal(null);
    expect(await hb('backup')).to.deep.equal(before);
  });

  it('every ping URL and line on the page really pings the heartbeat', async () => {
    const html = await c.html('/console/heartbeats/backup');
    expect(html).to.include('key 1 of 2').and.include(KEY1).and.not.include(KEY2);
    const urls = ['url-opsgenie', 'url-hc', 'url-hc-fail', 'url-hc-start', 'url-am'].map((id) => copyValue(html, id));
    for (const u of urls) expect(u.startsWith(publicUrl), u).to.equal(true);
    expect(copyValue(html, 'url-opsgenie')).to.equal(`${publicUrl}v2/heartbeats/backup/ping`);
    expect(copyValue(html, 'url-hc')).to.equal(`${publicUrl}ping/${KEY1}/backup`);

    const pinged = async (what: string, call: () => Promise<unknown>) => {
      const before = (await hb('backup'))!;
      await sleep(5);
      await call();
      const after = (await hb('backup'))!;
      expect(after.lastPingAt, `${what}: last ping moved`).to.be.a('number');
      expect(after.lastPingAt!, `${what}: last ping moved`).to.be.above(before.lastPingAt ?? 0);
      return after;
    };

    // Opsgenie: the URL with the GenieKey header, as the curl line sends it.
    const opsgenieLine = codeText(html, 'curl-opsgenie');
    expect(curlRequest(opsgenieLine)).to.deep.include({
      url: copyValue(html, 'url-opsgenie'),
      headers: { authorization: `GenieKey ${KEY1}` },
    });
    await pinged('opsgenie curl', async () => expect((await runCurl(opsgenieLine)).status).to.equal(202));
    expect((await fetch(copyValue(html, 'url-opsgenie'))).status, 'without the key').to.equal(401);

    // healthchecks: the bare URL (key in the path), its curl line and the cron line.
    await pinged('healthchecks URL', async () => expect(await (await fetch(copyValue(html, 'url-hc'))).text()).to.equal('OK'));
    expect(curlRequest(codeText(html, 'curl-hc')).url).to.equal(copyValue(html, 'url-hc'));
    await pinged('healthchecks curl', () => runCurl(codeText(html, 'curl-hc')));
    const cron = codeText(html, 'cron-line');
    expect(cron.startsWith('*/5 * * * * curl ')).to.equal(true);
    await pinged('cron line', () => runCurl(cron.slice('*/5 * * * * '.length).replace(/\\%/g, '%')));

    // /start notes the start; /fail marks it down at once; the next ping brings it back up.
    expect((await fetch(copyValue(html, 'url-hc-start'))).status).to.equal(200);
    expect((await fetch(copyValue(html, 'url-hc-fail'))).status).to.equal(200);
    expect((await hb('backup'))!.state).to.equal('down');
    const up = await pinged('alertmanager', async () => {
      const yaml = parseYaml(codeText(html, 'am-yaml'), 'snippet') as {
        route: { routes: { matchers: string[]; receiver: string; repeat_interval: string }[] };
        receivers: { name: string; webhook_configs: { url: string; http_config: { authorization: { credentials: string } } }[] }[];
      };
      const receiver = yaml.receivers[0];
      expect(yaml.route.routes[0]).to.deep.include({
        matchers: ['alertname = "Watchdog"'],
        receiver: receiver.name,
        repeat_interval: '1m',
      });
      const hook = receiver.webhook_configs[0];
      expect(hook.url).to.equal(copyValue(html, 'url-am'));
      const res = await fetch(hook.url, {
        method: 'POST',
        headers: { authorization: `Bearer ${hook.http_config.authorization.credentials}`, 'content-type': 'application/json' },
        body: JSON.stringify({
          version: '4',
          groupKey: '{}:{alertname="Watchdog"}',
          receiver: receiver.name,
          status: 'firing',
          alerts: [{ status: 'firing', labels: { alertname: 'Watchdog', severity: 'none' }, startsAt: new Date().toISOString() }],
          externalURL: 'http://am.example:9093',
        }),
      });
      expect(await res.json()).to.deep.include({ heartbeat: 'backup', pinged: true });
    });
    expect(up.state).to.equal('up');
    await pinged('alertmanager test line', async () =>
      expect(await (await runCurl(codeText(html, 'curl-am'))).json()).to.deep.include({ pinged: true }),
    );

    // The exit-status line: "$?" stays outside the quotes, so the URL ends in the status.
    const exitLine = codeText(html, 'curl-hc-exit');
    expect(exitLine).to.match(/^\/path\/to\/job; curl .*\/backup\/\$\?$/);
    await pinged('exit status 0', () => runCurl(exitLine.replace('/path/to/job; ', '').replace('$?', '0')));
  });

  it('draws the history: pings and the down → up change in the list and on the strip, with a text alternative', async () => {
    const html = await c.html('/console/heartbeats/backup');
    const list = /<ol class="timeline hb-history">([\s\S]*?)<\/ol>/.exec(html)![1];
    expect(list).to.include('<li class="good">').and.include('Ping').and.include('opsgenie GET');
    expect(list).to.include('<li class="bad">').and.include('<strong>up → down</strong>').and.include('failure signalled (/fail)');
    expect(list).to.include('<strong>down → up</strong>').and.include('Job started');
    expect(list.indexOf('down → up')).to.be.below(list.indexOf('up → down'));
    const svg = /<svg class="hb-strip"[\s\S]*?<\/svg>/.exec(html)![0];
    expect(svg).to.include('aria-hidden="true"');
    expect(svg).to.match(/<rect class="down" x="[\d.]+"/);
    expect(svg).to.match(/<rect class="up" x="[\d.]+"/);
    expect((svg.match(/<line class="ping"/g) ?? []).length).to.equal(7);
    expect((svg.match(/<line class="fail"/g) ?? []).length).to.equal(1);
    const caption = /<figcaption id="strip-text">([^<]*)<\/figcaption>/.exec(html)![1];
    expect(caption).to.match(/7 ping\(s\); down 1 time\(s\), .* in total; 1 failure\(s\) signalled\./);
  });

  it('sends a test ping through the service with source "console", audited', async () => {
    const res = await c.post('/console/heartbeats/backup/ping', {});
    expect(res.status).to.equal(303);
    expect(res.headers.get('location')).to.equal('/console/heartbeats/backup?done=pinged');
    const [last] = await app.app.heartbeats.history('backup', 1);
    expect(last).to.include({ event: 'ping', detail: 'console' });
    expect((await audit('heartbeat.ping'))[0]).to.deep.include({ target: 'backup', detail: { from: 'up', to: 'up' } });
  });

  it('shows the other key when asked, and that one pings too', async () => {
    const html = await c.html('/console/heartbeats/backup?key=2');
    expect(html).to.include('key 2 of 2').and.include(KEY2).and.not.include(KEY1);
    expect(await (await fetch(copyValue(html, 'url-hc'))).text()).to.equal('OK');
    const fallback = await c.html('/console/heartbeats/backup?key=9');
    expect(fallback).to.include('key 1 of 2');
  });

  it('matches the cron line to the period, and offers a loop when cron is too coarse', async () => {
    await app.app.heartbeats.create({ name: 'fast', kind: 'healthchecks', periodS: 20, graceS: 10, page: ['bob@example.com'] });
    await app.app.heartbeats.create({ name: 'daily', kind: 'healthchecks', periodS: 90_000, graceS: 3600, page: ['bob@example.com'] });
    const fast = await c.html('/console/heartbeats/fast');
    expect(fast).to.not.include('id="cron-line"');
    expect(codeText(fast, 'loop-line')).to.match(/^while true; do curl .*\/ping\/[^ ]+\/fast >\/dev\/null; sleep 10; done$/);
    expect(codeText(fast, 'am-yaml')).to.include('repeat_interval: 10s');
    expect(codeText(await c.html('/console/heartbeats/daily'), 'cron-line').startsWith('0 0 * * * curl ')).to.equal(true);
  });

  it('escapes a hostile name and description everywhere, and its ping URLs still work', async () => {
    const name = '<img src=x onerror=alert(1)> & "q" \'s';
    const res = await create({ name, every: '5m', page: 'alice@example.com', description: '<script>alert("d")</script>' });
    expect(res.status).to.equal(303);
    const location = res.headers.get('location')!;
    expect(location).to.equal(`/console/heartbeats/${encodeURIComponent(name)}?done=created`);
    for (const html of [await c.html(location), await c.html('/console/heartbeats')]) {
      expect(html).to.not.include('<img src=x').and.not.include('<script>alert');
      expect(html).to.include('&lt;img src=x onerror=alert(1)&gt; &amp; &quot;q&quot; &#39;s');
    }
    const page = await c.html(location);
    expect(page).to.include('&lt;script&gt;alert(&quot;d&quot;)&lt;/script&gt;');
    await runCurl(codeText(page, 'curl-hc'));
    await runCurl(codeText(page, 'curl-opsgenie'));
    await runCurl(
      codeText(page, 'cron-line')
        .replace(/^\S+ \S+ \S+ \S+ \S+ /, '')
        .replace(/\\%/g, '%'),
    );
    expect((await hb(name))!.state).to.equal('up');
    expect((await app.app.heartbeats.history(name)).filter((e) => e.event === 'ping')).to.have.length(3);
  });

  it('speaks Russian', async () => {
    const ru = { 'accept-language': 'ru-RU,ru;q=0.9' };
    const list = await (await c.get('/console/heartbeats', ru)).text();
    expect(list)
      .to.include('<html lang="ru">')
      .and.include('Новый пульс')
      .and.include('Кого вызывать')
      .and.include('раз в 5 мин, запас 1 мин');
    const page = await (await c.get('/console/heartbeats/backup', ru)).text();
    expect(page)
      .to.include('Как его пинговать')
      .and.include('История')
      .and.include('<strong>молчит → в норме</strong>')
      .and.include('Отправить пробный пинг');
    const bad = await create({ name: 'ru-bad', every: 'скоро' }, ru);
    expect(bad.status).to.equal(400);
    expect(await bad.text())
      .to.include('«скоро» — не длительность')
      .and.include('Этот пульс никого не вызовет');
  });

  it('answers 404 for an unknown heartbeat, on every route', async () => {
    expect((await c.get('/console/heartbeats/ghost')).status).to.equal(404);
    expect((await c.get('/console/heartbeats/ghost/edit')).status).to.equal(404);
    expect((await c.post('/console/heartbeats/ghost/pause', {})).status).to.equal(404);
    expect((await c.post('/console/heartbeats/ghost/remove', {})).status).to.equal(404);
    expect((await c.get(`/console/heartbeats/${'x'.repeat(300)}`)).status).to.equal(404);
  });

  it('leaves a declared heartbeat to the config file: no edit, no remove (409), pause allowed', async () => {
    await app.app.heartbeats.create({ name: 'nightly', kind: 'healthchecks', periodS: 86400, graceS: 0, page: ['alice@example.com'] });
    const page = await c.html('/console/heartbeats/nightly');
    expect(page)
      .to.include('id="declared"')
      .and.not.include('/console/heartbeats/nightly/remove')
      .and.not.include('/console/heartbeats/nightly/edit');
    const remove = await c.post('/console/heartbeats/nightly/remove', {});
    expect(remove.status).to.equal(409);
    expect(await remove.text()).to.include('remove it there');
    expect((await c.post('/console/heartbeats/nightly/edit', { every: '1h', page: 'alice@example.com' })).status).to.equal(409);
    expect((await c.get('/console/heartbeats/nightly/edit')).status).to.equal(409);
    expect((await hb('nightly'))!.periodS).to.equal(86400);
    expect((await c.post('/console/heartbeats/nightly/pause', {})).status).to.equal(303);
    expect((await hb('nightly'))!.state).to.equal('paused');
  });

  it('removes a heartbeat and its history, audited', async () => {
    const res = await c.post('/console/heartbeats/backup/remove', {});
    expect(res.status).to.equal(303);
    expect(res.headers.get('location')).to.equal('/console/heartbeats?done=removed');
    expect(await hb('backup')).to.equal(null);
    expect((await audit('heartbeat.remove'))[0]).to.deep.include({ target: 'backup' });
    expect(await c.html('/console/heartbeats?done=removed'))
      .to.include('Heartbeat removed with its history.')
      .and.not.include('href="/console/heartbeats/backup"');
  });

  it('lists pings for unknown names with a link that fills in the form', async () => {
    expect((await fetch(`${publicUrl}ping/${KEY1}/bakcup`)).status).to.equal(404);
    const list = await c.html('/console/heartbeats');
    expect(list).to.include('id="unknown"').and.include('bakcup').and.include('href="/console/heartbeats/new?name=bakcup"');
    expect(await c.html('/console/heartbeats/new?name=bakcup')).to.include('value="bakcup"');
  });
});

describe('console heartbeats without keys, with a default page list', () => {
  let app: RunningApp;
  let c: ConsoleClient;
  let dir: string;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'dozvon-hb-console-'));
    const file = join(dir, 'dozvon.yaml');
    writeFileSync(file, 'heartbeats:\n  page: [ops@example.com]\n');
    app = await startConsoleApp({ DOZVON_CONFIG: file });
    await app.app.users.create({ email: 'ops@example.com', name: 'Ops Lead', phone: '+79161230000' }, { lang: 'en' });
    c = await ConsoleClient.signIn(app.url);
  });
  after(async () => {
    await app?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('accepts an empty page list when the default names someone known, and says who that is', async () => {
    expect(await c.html('/console/heartbeats/new')).to.include(
      'Leave everyone unticked to page the default list (heartbeats.page): ops@example.com.',
    );
    const res = await c.post('/console/heartbeats/new', { name: 'watchdog', every: '5m', grace: '5m', kind: 'alertmanager' });
    expect(res.status).to.equal(303);
    expect((await app.app.heartbeats.get('watchdog'))!.page).to.deep.equal([]);
    expect(await c.html('/console/heartbeats')).to.include('default list:</span> <span title="ops@example.com"><bdi>Ops Lead</bdi></span>');
  });

  it('explains DOZVON_HEARTBEAT_KEYS instead of printing snippets that would answer 401', async () => {
    const html = await c.html('/console/heartbeats/watchdog');
    expect(html).to.include('No heartbeat key is configured').and.include('DOZVON_HEARTBEAT_KEYS');
    expect(html)
      .to.not.include('id="url-hc"')
      .and.not.include('id="curl-opsgenie"')
      .and.not.include('id="am-yaml"')
      .and.not.include('/v2/heartbeats/');
  });
});
