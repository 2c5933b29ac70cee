/** /console/pages over HTTP: the search, its validation, a page's timeline and the Listen WAV. */
import { expect } from 'chai';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startConsoleApp, ConsoleClient, type RunningApp } from './harness';
import { seedPages, promptMs, wavMs, ALICE_PHONE, DAY, SUMMARY_FILE, type Seeded } from './pages-fixture';
import { parseWav } from '../../../src/tts/audio/wav';
import { NotificationsRepo } from '../../../src/db/notifications-repo';

/** Ids of the pages listed (the first column links to each page). */
function ids(html: string): number[] {
  return [...html.matchAll(/<tr><td><a href="\/console\/pages\/(\d+)">/g)].map((m) => Number(m[1]));
}

const day = (t: number) => new Date(t).toISOString().slice(0, 10);

describe('console: pages', function () {
  this.timeout(30_000);
  let t: RunningApp;
  let c: ConsoleClient;
  let s: Seeded;
  let ttsDir: string;

  before(async () => {
    ttsDir = mkdtempSync(path.join(tmpdir(), 'dozvon-pages-tts-'));
    t = await startConsoleApp({ DOZVON_TTS_DIR: ttsDir });
    s = await seedPages(t);
    c = await ConsoleClient.signIn(t.url);
  });
  after(async () => {
    await t.close();
    rmSync(ttsDir, { recursive: true, force: true });
  });

  describe('the list and its search', () => {
    it("lists every page, newest first, with the person's name, a masked phone, state and attempts", async () => {
      const html = await c.html('/console/pages');
      expect(ids(html)).to.deep.equal([s.heartbeat, s.sms, s.call, s.failed, s.gone, s.russian]);
      expect(html).to.include('Alice Smith');
      expect(html).to.include('+7916*****67');
      expect(html).to.not.include(ALICE_PHONE);
      expect(html).to.match(/<span class="badge good">delivered<\/span>/);
      expect(html).to.match(/<span class="badge warn">waiting<\/span>/);
      expect(html).to.include('<form method="get" action="/console/pages"');
      // Received → the first call ringing, beside the attempts; a call that never reported ringing shows nothing.
      const row = (id: number) => new RegExp(`<tr><td><a href="/console/pages/${id}">[\\s\\S]*?</tr>`).exec(html)![0];
      expect(row(s.call)).to.include('rang after 1200 ms');
      expect(row(s.failed)).to.include('rang after 800 ms');
      expect(row(s.gone)).to.not.include('rang after');
    });

    it('by person: email, name, any part, any case (Cyrillic too)', async () => {
      expect(ids(await c.html('/console/pages?person=ALICE@'))).to.deep.equal([s.sms, s.call, s.gone]);
      expect(ids(await c.html('/console/pages?person=smith'))).to.deep.equal([s.sms, s.call, s.gone]);
      expect(ids(await c.html(`/console/pages?person=${encodeURIComponent('иван')}`))).to.deep.equal([s.russian]);
      expect(ids(await c.html('/console/pages?person=carol'))).to.deep.equal([s.heartbeat]);
      expect(ids(await c.html('/console/pages?person=nobody-at-all'))).to.deep.equal([]);
    });

    it('by state, kind and alert group', async () => {
      expect(ids(await c.html('/console/pages?state=failed'))).to.deep.equal([s.failed, s.gone]);
      expect(ids(await c.html('/console/pages?state=cancelled'))).to.deep.equal([s.russian]);
      expect(ids(await c.html('/console/pages?kind=sms'))).to.deep.equal([s.sms]);
      expect(ids(await c.html('/console/pages?group=IGROUP1'))).to.deep.equal([s.sms, s.call]);
      expect(ids(await c.html('/console/pages?group=IGROUP1&kind=call&state=delivered'))).to.deep.equal([s.call]);
    });

    it('by time: a recent period, or whole UTC days with "to" included', async () => {
      expect(ids(await c.html('/console/pages?period=24h'))).to.deep.equal([s.heartbeat, s.sms, s.call]);
      expect(ids(await c.html('/console/pages?period=7d'))).to.deep.equal([s.heartbeat, s.sms, s.call, s.failed, s.gone]);
      const d = day(s.now - 3 * DAY);
      expect(ids(await c.html(`/console/pages?from=${d}&to=${d}`))).to.deep.equal([s.failed]);
      expect(ids(await c.html(`/console/pages?to=${day(s.now - 30 * DAY)}`))).to.deep.equal([s.russian]);
    });

    it('by message text, case-insensitive, with % and _ taken literally', async () => {
      expect(ids(await c.html('/console/pages?text=DISK+FULL'))).to.deep.equal([s.sms, s.call]);
      expect(ids(await c.html(`/console/pages?text=${encodeURIComponent('%')}`))).to.deep.equal([s.russian]);
      expect(ids(await c.html('/console/pages?text=db_1'))).to.deep.equal([s.russian]);
      // "_" would match any one character if it were not escaped ("b1" in web1.example.com).
      expect(ids(await c.html('/console/pages?text=b_1'))).to.deep.equal([s.russian]);
      expect(ids(await c.html(`/console/pages?text=${encodeURIComponent('диск')}`))).to.deep.equal([s.russian]);
    });

    it('bad values: 400, the form again with the field marked and why; never a 500', async () => {
      const cases: [string, string, string][] = [
        ['state=bogus', 'f-state', 'Choose one of the listed states.'],
        ['kind=fax', 'f-kind', 'Choose one of the listed kinds.'],
        ['group=a%20b', 'f-group', 'An alert group id is letters, digits'],
        ['from=2026-02-30', 'f-from', 'Enter a date as YYYY-MM-DD.'],
        ['from=yesterday', 'f-from', 'Enter a date as YYYY-MM-DD.'],
        ['from=2026-05-02&to=2026-05-01', 'f-to', 'This is before the &quot;From&quot; date.'],
        ['period=24h&from=2026-05-01', 'f-period', 'Pick a recent period or dates, not both.'],
        ['period=1y', 'f-period', 'Choose one of the listed periods.'],
        [`text=${'x'.repeat(201)}`, 'f-text', 'Too long: at most 200 characters.'],
        ['state=failed&state=pending', 'f-state', 'Given more than once.'],
      ];
      for (const [q, id, message] of cases) {
        const res = await c.get(`/console/pages?${q}`);
        const html = await res.text();
        expect(res.status, q).to.equal(400);
        expect(html, q).to.include(message);
        expect(html, q).to.match(new RegExp(`<div class="field invalid"><label for="${id}">`));
        expect(html, q).to.include('Please correct the marked fields.');
        expect(ids(html), q).to.deep.equal([]);
      }
      const broken = await c.get('/console/pages?before=12abc');
      expect(broken.status).to.equal(400);
      expect(await broken.text()).to.include('This &quot;older&quot; link is broken');
    });

    it('a hostile message and name are shown as text, never as markup', async () => {
      for (const p of ['/console/pages', `/console/pages/${s.failed}`]) {
        const html = await c.html(p);
        expect(html, p).to.not.include('<script>window');
        expect(html, p).to.not.include('<img src=x');
        expect(html, p).to.include('&lt;script&gt;window.__pwned=1&lt;/script&gt;');
      }
      const reflected = await c.get(`/console/pages?person=${encodeURIComponent('"><script>alert(1)</script>')}`);
      const html = await reflected.text();
      expect(html).to.not.include('<script>alert(1)');
      expect(html).to.include('value="&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;"');
    });
  });

  it('pages of 50, newest first, with an "older" link that keeps the search', async () => {
    let at = s.now - 90 * DAY;
    const repo = new NotificationsRepo(t.app.db, () => at);
    const made: number[] = [];
    for (let i = 0; i < 53; i++) {
      at += 1000;
      made.push(
        (await repo.enqueue({ kind: 'sms', source: 'heartbeat', userId: null, email: 'bulk@example.com', message: `bulk page ${i}` }))
          .notification.id,
      );
    }
    const first = await c.html('/console/pages?text=bulk+page');
    expect(ids(first)).to.deep.equal(made.slice(3).reverse());
    const older = /<a href="([^"]+)">Older pages<\/a>/.exec(first);
    expect(older, 'older link').to.not.equal(null);
    const next = older![1].replace(/&amp;/g, '&');
    expect(next).to.include('text=bulk+page');
    const second = await c.html(next);
    expect(ids(second)).to.deep.equal(made.slice(0, 3).reverse());
    expect(second).to.not.include('Older pages');
    expect(second).to.include('Back to the newest');
    await t.app.db('notifications').whereIn('id', made).del();
  });

  describe("a page's timeline", () => {
    it('shows receipt, alert group, the call with its times, cause, digits, action, result and what played', async () => {
      const html = await c.html(`/console/pages/${s.call}`);
      expect(html).to.include(`<h1>Page #${s.call}</h1>`);
      expect(html).to.include('Received from oncall-cloud');
      expect(html).to.include('Disk full on web1.example.com');
      expect(html).to.include('OnCall gave the alert group id.');
      const t0 = s.now - 2 * 3600_000;
      const stamp = (x: number) => `${new Date(x).toISOString().slice(0, 19).replace('T', ' ')} UTC`;
      for (const x of [t0, t0 + 1200, t0 + 6200, t0 + 48_200]) expect(html).to.include(stamp(x));
      expect(html).to.include('+1.2 s after dialling');
      expect(html).to.include('rang 5.0 s');
      expect(html).to.include('call lasted 42 s');
      expect(html).to.include('16 Normal Clearing');
      expect(html).to.match(/<dt>Trunk<\/dt><dd><span class="mono">second<\/span>/);
      expect(html).to.include(
        '<dt>Dialled</dt><dd><span class="mono">first: congestion 34 SIP 503</span> → <span class="mono">second: answered 16</span></dd>',
      );
      expect(html).to.match(/<dt>Digits pressed<\/dt><dd><span class="mono">1<\/span>/);
      expect(html).to.match(/<dt>Action<\/dt><dd><span class="mono">acknowledge<\/span>/);
      expect(html).to.match(/<dt>Heard in reply<\/dt><dd><bdi>Acknowledged\.<\/bdi><\/dd>/);
      expect(html).to.include('Finished: <span class="badge good">delivered</span>');
      expect(html).to.include('pressed 1: Acknowledged.');
      // Listen: the player, and the list in order with the pruned reply named as such.
      expect(html).to.include(`<audio controls preload="none" src="/console/pages/${s.call}/attempts/${s.callAttempt}/audio.wav"`);
      const list = /<ol class="played">(.*?)<\/ol>/.exec(html)![1];
      const items = [...list.matchAll(/<li(?: class="[^"]*")?><strong>([^<]+)<\/strong>/g)].map((m) => m[1]);
      expect(items).to.deep.equal(['greeting', 'rendered summary', 'menu', 'rendered reply', 'goodbye']);
      expect(html).to.match(/rendered reply<\/strong> <span class="part-note">— no longer stored<\/span>/);
      expect(html).to.include('«Hello, this is dozvon, your on-call pager.»');
      // The other page of the same alert group, linked.
      expect(html).to.include('Other pages of alert group IGROUP1');
      expect(html).to.include(`<a href="/console/pages/${s.sms}">${s.sms}</a>`);
    });

    it('shows an SMS send with its sender and reply, and a match by title', async () => {
      const html = await c.html(`/console/pages/${s.sms}`);
      expect(html).to.include('SMS via gateway');
      expect(html).to.include('<span class="badge good">sent</span>');
      expect(html).to.match(/<dt>Sender replied<\/dt><dd><bdi>id 42<\/bdi><\/dd>/);
      expect(html).to.include('matched by title');
      expect(html).to.not.include('<audio');
    });

    it('a busy call, a page not tied to a group, a waiting page', async () => {
      const failed = await c.html(`/console/pages/${s.failed}`);
      expect(failed).to.include('17 User busy; dial BUSY');
      expect(failed).to.include('<span class="badge warn">busy</span>');
      expect(failed).to.include('OnCall gave no id and no alert group matched the title');
      expect(failed).to.not.include('<audio');
      const waiting = await c.html(`/console/pages/${s.heartbeat}`);
      expect(waiting).to.include('Waiting: next attempt');
      expect(waiting).to.include('carol@example.com');
      expect(waiting).to.include('not in the directory');
    });

    it('in Russian', async () => {
      const html = await c.html(`/console/pages/${s.call}?lang=ru`);
      expect(html).to.include('<html lang="ru">');
      expect(html).to.include(`<h1>Вызов № ${s.call}</h1>`);
      expect(html).to.include('идентификатор группы передал OnCall');
      expect(html).to.include('Прослушать');
      expect(html).to.include('озвученная сводка');
      expect(html).to.include('больше не хранится');
      expect(html).to.include('разговор 42 с');
      const list = await c.html('/console/pages?lang=ru');
      expect(list).to.include('Кому');
      expect(list).to.include('зазвонил через 1200 мс');
      const bad = await c.get('/console/pages?lang=ru&from=31.12.2026');
      expect(bad.status).to.equal(400);
      expect(await bad.text()).to.include('Введите дату в виде ГГГГ-ММ-ДД.');
    });

    it('ids that are not digits, or not there: 404', async () => {
      for (const p of [
        '/console/pages/abc',
        '/console/pages/1e3',
        '/console/pages/99999',
        `/console/pages/${s.call}/attempts/x/audio.wav`,
        `/console/pages/${s.sms}/attempts/${s.callAttempt}/audio.wav`,
        '/console/pages/..%2F..%2Fetc',
      ]) {
        expect((await c.get(p)).status, p).to.equal(404);
      }
    });
  });

  describe('Listen', () => {
    it('one WAV of the greeting, the rendered summary, the menu and goodbye, in order; the pruned reply left out', async () => {
      const res = await c.get(`/console/pages/${s.call}/attempts/${s.callAttempt}/audio.wav`);
      expect(res.status).to.equal(200);
      expect(res.headers.get('content-type')).to.equal('audio/wav');
      expect(res.headers.get('content-disposition')).to.equal(`inline; filename="page-${s.call}-attempt-${s.callAttempt}.wav"`);
      expect(res.headers.get('cache-control')).to.match(/^private/);
      const body = Buffer.from(await res.arrayBuffer());
      expect(body.toString('ascii', 0, 4)).to.equal('RIFF');
      expect(body.toString('ascii', 8, 12)).to.equal('WAVE');
      expect(body.readUInt32LE(4)).to.equal(body.length - 8);
      const wav = parseWav(body);
      expect([wav.channels, wav.sampleRate, wav.bitsPerSample]).to.deep.equal([1, 8000, 16]);
      const expected = promptMs('greeting') + wavMs(path.join(ttsDir, SUMMARY_FILE)) + promptMs('menu') + promptMs('goodbye');
      const got = (wav.samples.length / wav.sampleRate) * 1000;
      expect(got).to.be.closeTo(expected, expected * 0.01);
    });

    it('answers a byte range, so the player can seek', async () => {
      const res = await c.get(`/console/pages/${s.call}/attempts/${s.callAttempt}/audio.wav`, { range: 'bytes=0-43' });
      expect(res.status).to.equal(206);
      expect(res.headers.get('content-range')).to.match(/^bytes 0-43\/\d+$/);
      expect(Buffer.from(await res.arrayBuffer()).toString('ascii', 0, 4)).to.equal('RIFF');
    });

    it('nothing left to play: the page says so and the WAV is a 404 with a clear message', async () => {
      const html = await c.html(`/console/pages/${s.gone}`);
      expect(html).to.not.include('<audio');
      expect(html).to.include('None of this audio is stored any more');
      expect(html).to.include('played by Asterisk, not available here');
      const res = await c.get(`/console/pages/${s.gone}/attempts/${s.goneAttempt}/audio.wav`);
      expect(res.status).to.equal(404);
      expect(await res.text()).to.include('the rendered speech was pruned from the cache');
    });

    it('needs the console sign-in', async () => {
      const res = await fetch(`${t.url}/console/pages/${s.call}/attempts/${s.callAttempt}/audio.wav`, { redirect: 'manual' });
      expect(res.status).to.equal(303);
    });
  });
});
