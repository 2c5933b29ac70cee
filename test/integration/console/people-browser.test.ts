/**
 * The people console in Chromium, as an operator meets it on a first day: sign in from the people
 * page, add yourself, edit, import the team (a pasted list and a picked file), place a test call
 * and watch its steps arrive live while the fake phone answers and presses 1, then remove someone
 * through the confirmation. Layouts are checked at desktop and phone widths on the way.
 */
import { expect } from 'chai';
import { launchBrowser, Browser } from '../status/browser';
import { voiceWorld, VoiceWorld } from '../../e2e/voice/harness';
import { signInWithBrowser, checkLayouts } from './harness';

describe('console people in headless Chromium', function () {
  this.timeout(60_000);
  let w: VoiceWorld;
  let b: Browser;
  before(async () => {
    // Both start at once; whichever started is kept for after() to close, even when the other failed.
    const [world, browser] = await Promise.allSettled([
      voiceWorld({ env: { DOZVON_ONCALL_URL: '', DOZVON_ONCALL_TOKEN: '' } }),
      launchBrowser(),
    ]);
    if (world.status === 'fulfilled') w = world.value;
    if (browser.status === 'fulfilled') b = browser.value;
    for (const r of [world, browser]) if (r.status === 'rejected') throw r.reason;
  });
  after(async () => {
    await b?.close();
    await w?.close();
  });
  const url = (path: string) => `${w.t.url}${path}`;

  it('signs in from the people page and lands back on it, with the first steps explained', async () => {
    await signInWithBrowser(b.page, w.t.url, '/console/people');
    expect(new URL(b.page.url()).pathname).to.equal('/console/people');
    expect(await b.page.textContent('main h1')).to.equal('People');
    expect(await b.page.textContent('main')).to.include('Nobody to page yet');
  });

  it('adds a person through the form (a mistake first), then sees them in the list', async () => {
    await Promise.all([b.page.waitForURL(/\/people\/new$/), b.page.click('text=Add person')]);
    await b.page.fill('#f-email', 'alice@example.com');
    await b.page.fill('#f-name', 'Alice Smith');
    await b.page.fill('#f-phone', '12345678901');
    await b.page.fill('#f-pin', '0123');
    await b.page.check('input[name=channels][value=voice]');
    await b.page.check('input[name=channels][value=sms]');
    await checkLayouts(b.page, 'person-new');
    await Promise.all([b.page.waitForLoadState('load'), b.page.click('main button[type=submit]')]);
    expect(await b.page.getAttribute('#f-phone', 'aria-invalid')).to.equal('true');
    expect(await b.page.inputValue('#f-name')).to.equal('Alice Smith');
    expect(await b.page.inputValue('#f-pin')).to.equal('');
    await b.page.fill('#f-phone', '+15550001111');
    await b.page.fill('#f-pin', '0123');
    await Promise.all([b.page.waitForURL(/\/people\/alice%40example\.com\?done=saved$/), b.page.click('main button[type=submit]')]);
    expect(await b.page.textContent('main h1')).to.equal('Alice Smith');
    expect(await b.page.textContent('.notice.good')).to.equal('Saved.');
    await checkLayouts(b.page, 'person');
    await b.page.goto(url('/console/people'));
    expect(await b.page.textContent('main table'))
      .to.include('Alice Smith')
      .and.include('+1555*****11');
    await checkLayouts(b.page, 'people-list');
  });

  it('opens the person from the list and edits them', async () => {
    await Promise.all([b.page.waitForURL(/\/people\/alice%40example\.com$/), b.page.click('main table a:has-text("Alice Smith")')]);
    await Promise.all([b.page.waitForURL(/\/edit$/), b.page.click('main a.button:has-text("Edit")')]);
    expect(await b.page.inputValue('#f-phone')).to.equal('+15550001111');
    await b.page.fill('#f-name', 'Alice S.');
    await Promise.all([b.page.waitForURL(/\?done=saved$/), b.page.click('main button[type=submit]:has-text("Save")')]);
    expect(await b.page.textContent('main h1')).to.equal('Alice S.');
    expect((await w.t.app.users.getByEmail('alice@example.com'))!.hasPin).to.equal(true);
  });

  it('imports a pasted YAML list: preview first (nothing written), then apply', async () => {
    await b.page.goto(url('/console/people/import'));
    await b.page.fill(
      '#f-text',
      '- {email: bob@example.com, name: Bob Jones, phone: "+15550002222", pin: "0042"}\n- {email: alice@example.com, name: Alice S., lang: ru}\n',
    );
    await Promise.all([b.page.waitForLoadState('load'), b.page.click('main button:has-text("Preview")')]);
    expect(await b.page.textContent('#import-preview')).to.include('New: 1; updated: 1; unchanged: 0; errors: 0.');
    expect(await w.t.app.users.getByEmail('bob@example.com')).to.equal(null);
    await checkLayouts(b.page, 'people-import-preview');
    await Promise.all([b.page.waitForURL(/done=imported/), b.page.click('main button:has-text("Apply")')]);
    expect(await b.page.textContent('.notice.good')).to.equal('Imported: 1 new, 1 updated, 0 unchanged.');
    expect(await b.page.textContent('main table')).to.include('Bob Jones');
    expect((await w.t.app.users.getByEmail('alice@example.com'))!.lang).to.equal('ru');
  });

  it('with the script, a picked CSV file fills the box and the format', async () => {
    await b.page.goto(url('/console/people/import'));
    expect(await b.page.isVisible('#import-file')).to.equal(true);
    await b.page.setInputFiles('#import-file', {
      name: 'team.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from('email,name,phone,channels\ncarol@example.com,Carol White,+15550003333,sms\n'),
    });
    await b.page.waitForFunction("document.getElementById('f-text').value.indexOf('carol@example.com') >= 0");
    expect(await b.page.inputValue('#f-format')).to.equal('csv');
    await Promise.all([b.page.waitForLoadState('load'), b.page.click('main button:has-text("Preview")')]);
    expect(await b.page.textContent('#import-preview')).to.include('New: 1;');
  });

  it('a test call shows its steps live (no reloading) while the phone answers and presses 1', async () => {
    const phone = w.asterisk.phone('+15550001111');
    await b.page.goto(url('/console/people/alice%40example.com'));
    await Promise.all([b.page.waitForURL(/\/test\/\d+\?live=1$/), b.page.click('main button:has-text("Test call")')]);
    expect(await b.page.locator('meta[http-equiv=refresh]').count()).to.equal(0);
    await b.page.evaluate('window.__samePage = true');
    const call = await phone.expectCall(5000);
    await b.page.waitForSelector('#steps li:has-text("Ringing")');
    call.answer();
    await b.page.waitForSelector('#steps li:has-text("Answered")');
    expect(await b.page.evaluate('window.__samePage')).to.equal(true);
    await call.expectPlayback(/dozvon\/menu/, 5000);
    await checkLayouts(b.page, 'test-call');
    call.press('1');
    await b.page.waitForSelector('#steps li:has-text("Pressed 1")');
    await b.page.waitForSelector('#steps li:has-text("Call ended: answered")');
    expect(await b.page.evaluate('window.__samePage')).to.equal(true);
    // Then the finished page with the stored record.
    await b.page.waitForURL(/\/test\/\d+$/);
    await b.page.waitForSelector('#test-record');
    expect(await b.page.textContent('#progress-status')).to.include('Delivered: pressed 1');
  });

  it('removes a person after the confirmation dialog', async () => {
    await b.page.goto(url('/console/people/bob%40example.com'));
    let asked = '';
    b.page.once('dialog', (d) => {
      asked = d.message();
      void d.accept();
    });
    await Promise.all([b.page.waitForURL(/\/people\?done=removed$/), b.page.click('main button:has-text("Remove")')]);
    expect(asked).to.include('Remove Bob Jones (bob@example.com)?');
    expect(await b.page.textContent('main table')).not.to.include('Bob Jones');
    expect(await w.t.app.users.getByEmail('bob@example.com')).to.equal(null);
  });
});
