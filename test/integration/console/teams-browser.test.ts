/**
 * The team page with all its editors in Chromium: it fits a phone and a desktop with every control
 * named, and an operator fills the escalation policy rows and the rotation form and sees them saved.
 */
import { expect } from 'chai';
import { startConsoleApp, signInWithBrowser, checkLayouts, type RunningApp } from './harness';
import { launchBrowser, type Browser } from '../status/browser';
import { AuditRepo } from '../../../src/audit';
import { Teams } from '../../../src/teams/service';

describe('console: a team page in a browser', function () {
  this.timeout(60_000);
  let t: RunningApp;
  let b: Browser;
  let teams: Teams;

  before(async () => {
    t = await startConsoleApp();
    for (const [email, name, phone] of [
      ['alice@example.com', 'Alice Smith', '+79161234567'],
      ['bob@example.com', 'Bob Jones', '+15557654321'],
    ])
      await t.app.users.create({ email, name, phone }, { lang: 'en' });
    teams = new Teams({ db: t.app.db, audit: new AuditRepo(t.app.db, Date.now) });
    await teams.change('test', async (ops) => {
      await ops.createTeam({ name: 'Database' });
      await ops.addMember('Database', 'alice@example.com');
      await ops.addMember('Database', 'bob@example.com');
      await ops.createSchedule({ name: 'DB', team: 'Database', timeZone: 'Europe/Berlin' });
    });
    await t.app.alerts.integrations.create('test', { name: 'grafana', defaultTeam: 'Database', rules: [] });
    b = await launchBrowser();
  });
  after(async () => {
    await b?.close();
    await t?.close();
  });

  it('fits both widths, and the policy and rotation forms save what was filled in', async () => {
    const page = b.page;
    await signInWithBrowser(page, t.url, '/console/teams/Database');
    await checkLayouts(page, 'team-editors');

    await page.fill('#f-after-0-new', '0');
    await page.selectOption('#f-target-0-new', 'schedule:DB');
    await page.fill('#f-after-1-new', '5');
    await page.selectOption('#f-target-1-new', 'user:bob@example.com');
    await Promise.all([page.waitForURL(/done=policy/), page.click('#policy button:has-text("Save policy")')]);
    expect(await page.locator('#policy ol').innerText()).to.equal('after 0 min: whoever is on call in DB\nafter 5 min: Bob Jones');

    const s = (await teams.schedule('DB')).id;
    await page.fill(`#f-rname-${s}`, 'primary');
    await page.fill(`#f-only-${s}`, 'Mon-Fri 09:00-18:00');
    await Promise.all([page.waitForURL(/done=rotation/), page.click(`#schedule-${s} button:has-text("Add a rotation")`)]);
    const [rot] = (await teams.schedule('DB')).rotations;
    expect(rot.participants).to.have.length(2);
    expect(rot.restrictions).to.have.length(5);
    await checkLayouts(page, 'team-editors-filled');
  });
});
