/** The Pages area in Chromium: sign in, search, open a page, its timeline, and a player that loads. */
import { expect } from 'chai';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startConsoleApp, signInWithBrowser, checkLayouts, type RunningApp } from './harness';
import { launchBrowser, type Browser } from '../status/browser';
import { seedPages, promptMs, SUMMARY_MS, type Seeded } from './pages-fixture';

/** Runs in the page: the Listen player's length once its metadata loaded (-1 on an error). */
const AUDIO_DURATION = `new Promise(function (resolve) {
  var a = document.querySelector('.listen audio');
  if (!a) return resolve(-2);
  if (a.readyState >= 1) return resolve(a.duration);
  a.addEventListener('loadedmetadata', function () { resolve(a.duration); });
  a.addEventListener('error', function () { resolve(-1); });
  a.preload = 'metadata';
  a.load();
})`;

describe('console: pages in a browser', function () {
  this.timeout(40_000);
  let t: RunningApp;
  let b: Browser;
  let s: Seeded;
  let ttsDir: string;

  before(async () => {
    ttsDir = mkdtempSync(path.join(tmpdir(), 'dozvon-pages-browser-'));
    t = await startConsoleApp({ DOZVON_TTS_DIR: ttsDir });
    s = await seedPages(t);
    b = await launchBrowser();
  });
  after(async () => {
    await b?.close();
    await t?.close();
    rmSync(ttsDir, { recursive: true, force: true });
  });

  it('search, open a page, see its timeline and listen', async () => {
    const page = b.page;
    await signInWithBrowser(page, t.url, '/console/pages');
    expect(new URL(page.url()).pathname).to.equal('/console/pages');
    await checkLayouts(page, 'pages-list');

    await page.fill('#f-person', 'alice');
    await page.selectOption('#f-state', 'delivered');
    await Promise.all([page.waitForURL(/person=alice/), page.click('.pages-search button[type=submit]')]);
    const rows = await page.locator('table.pages-table tbody tr').count();
    expect(rows).to.equal(2);
    expect(await page.inputValue('#f-person')).to.equal('alice');

    await Promise.all([
      page.waitForURL(new RegExp(`/console/pages/${s.call}$`)),
      page.click(`a[href="/console/pages/${s.call}"] >> nth=0`),
    ]);
    expect(await page.locator('main h1').textContent()).to.equal(`Page #${s.call}`);
    const steps = await page.locator('ol.timeline > li').count();
    expect(steps).to.equal(4); // received, alert group, the call, finished
    expect(await page.locator('ol.played > li').count()).to.equal(5);

    const duration = (await page.evaluate(AUDIO_DURATION)) as number;
    const expected = (promptMs('greeting') + SUMMARY_MS + promptMs('menu') + promptMs('goodbye')) / 1000;
    expect(duration).to.be.closeTo(expected, expected * 0.02);
    await checkLayouts(page, 'page-timeline');
  });
});
