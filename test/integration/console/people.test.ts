/**
 * The people console over HTTP, as an operator uses it: add (with the CLI's refusals), edit with
 * the PIN kept or cleared, remove, the CSRF and origin guards, import with a preview that writes
 * nothing, Russian pages, escaping, and every change in the audit log (seen through the admin API).
 */
import { expect } from 'chai';
import { startConsoleApp, ConsoleClient, RunningApp, ADMIN_TOKEN } from './harness';
import { verifyPin } from '../../../src/directory/pin';

interface AuditRow {
  actor: string;
  action: string;
  target: string;
  detail: Record<string, unknown> | null;
}

const ALICE = {
  email: 'alice@example.com',
  name: 'Alice Smith',
  phone: '+79161234567',
  lang: 'ru',
  pin: '0123',
  channels: ['voice', 'sms'],
  contacts: 'ntfy=alice-alerts',
  role: 'editor',
  timezone: 'Europe/Moscow',
};

/** The attributes of the control named `name` on a page. */
function control(html: string, name: string): string {
  const m = new RegExp(`<(?:input|textarea|select)[^>]*name="${name}"[^>]*>`).exec(html);
  expect(m, `control ${name}`).to.not.equal(null);
  return m![0];
}

describe('console people over HTTP', () => {
  let app: RunningApp;
  let c: ConsoleClient;
  before(async () => {
    app = await startConsoleApp();
    c = await ConsoleClient.signIn(app.url);
  });
  after(async () => app?.close());

  const audit = async (query: string): Promise<AuditRow[]> => {
    const res = await fetch(`${app.url}/api/admin/audit?${query}`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });
    expect(res.status).to.equal(200);
    return ((await res.json()) as { results: AuditRow[] }).results;
  };
  const count = async () => Number(((await app.app.db('users').count({ n: '*' }))[0] as { n: number }).n);
  const pinHash = async (email: string) => (await app.app.users.secrets((await app.app.users.getByEmail(email))!.id)).pinHash;

  it('without a session: GET goes to the login page and back, POST is 401', async () => {
    const res = await fetch(`${app.url}/console/people/new`, { redirect: 'manual' });
    expect(res.status).to.equal(303);
    expect(res.headers.get('location')).to.equal('/console/../login?next=console%2Fpeople%2Fnew');
    const post = await fetch(`${app.url}/console/people/new`, {
      method: 'POST',
      body: new URLSearchParams({ email: 'x@example.com', name: 'X', phone: '+15550001111' }),
      redirect: 'manual',
    });
    expect(post.status).to.equal(401);
    expect(await count()).to.equal(0);
  });

  it('an empty directory tells a new operator what to do, with the add and import buttons', async () => {
    const html = await c.html('/console/people');
    expect(html).to.include('Nobody to page yet').and.include('Add yourself');
    expect(html).to.include('href="/console/people/new"').and.include('href="/console/people/import"');
  });

  it('adds a valid person: the row, a "saved" notice, and user.create in the audit log without secrets', async () => {
    const res = await c.post('/console/people/new', ALICE);
    expect(res.status).to.equal(303);
    expect(res.headers.get('location')).to.equal('/console/people/alice%40example.com?done=saved');
    const u = (await app.app.users.getByEmail('alice@example.com'))!;
    expect(u).to.include({
      name: 'Alice Smith',
      phone: '+79161234567',
      lang: 'ru',
      role: 'editor',
      timezone: 'Europe/Moscow',
      hasPin: true,
    });
    expect(u.channels).to.deep.equal(['voice', 'sms']);
    expect(u.contacts).to.deep.equal({ ntfy: 'alice-alerts' });
    expect(await verifyPin('0123', await pinHash('alice@example.com'))).to.equal(true);
    const page = await c.html(res.headers.get('location')!);
    expect(page).to.include('class="notice good"').and.include('Saved.');
    const [entry] = await audit('target=alice@example.com&action=user.create');
    expect(entry.actor).to.match(/^console \(session /);
    expect(entry.detail).to.include({ pin: 'set', name: 'Alice Smith' });
    expect(JSON.stringify(entry)).not.to.include('0123').and.not.include('+79161234567');
  });

  it('the list shows people with masked numbers; the person page masks it, the edit form shows it whole', async () => {
    const list = await c.html('/console/people');
    expect(list).to.include('href="/console/people/alice%40example.com"').and.include('Alice Smith').and.include('+7916*****67');
    expect(list).not.to.include('+79161234567');
    expect(list).to.include('voice → SMS').and.include('verified');
    const person = await c.html('/console/people/alice%40example.com');
    expect(person).not.to.include('+79161234567');
    expect(person).to.include('ntfy').and.include('alice-alerts');
    const edit = await c.html('/console/people/alice%40example.com/edit');
    expect(edit).to.match(/<textarea id="f-phone" name="phone"[^>]*>\+79161234567<\/textarea>/);
    expect(control(edit, 'pin')).to.include('type="password"').and.not.include('value=');
  });

  it('refuses an invalid phone with 400, the field marked, values kept but never the PIN, nothing written', async () => {
    const before = await count();
    const res = await c.post('/console/people/new', { ...ALICE, email: 'bad@example.com', phone: '12345678901' });
    expect(res.status).to.equal(400);
    const html = await res.text();
    expect(control(html, 'phone')).to.include('aria-invalid="true"');
    expect(html).to.match(/<textarea id="f-phone"[^>]*>12345678901<\/textarea>/);
    expect(html).to.match(/<\/textarea>(<small[^>]*>[^<]*<\/small>)*<small class="field-error">[^<]*international form/);
    expect(control(html, 'email')).to.include('value="bad@example.com"').and.not.include('aria-invalid');
    expect(control(html, 'pin')).not.to.include('0123');
    expect(html).not.to.include('value="0123"');
    expect(await count()).to.equal(before);
  });

  it('refuses a duplicate email (in any case) as a field error', async () => {
    const res = await c.post('/console/people/new', { ...ALICE, email: 'ALICE@example.com', name: 'Other Alice' });
    expect(res.status).to.equal(400);
    const html = await res.text();
    expect(control(html, 'email')).to.include('aria-invalid="true"');
    expect(html).to.include('already has this email');
    expect((await app.app.users.getByEmail('alice@example.com'))!.name).to.equal('Alice Smith');
  });

  it('refuses somebody nobody could page (no phone, no contact), as `users add` does', async () => {
    const before = await count();
    const res = await c.post('/console/people/new', { email: 'ghost@example.com', name: 'Ghost' });
    expect(res.status).to.equal(400);
    const html = await res.text();
    expect(control(html, 'phone')).to.include('aria-invalid="true"');
    expect(html).to.include('nobody could page them');
    expect(await count()).to.equal(before);
    // A push-only person with a contact is fine.
    const ok = await c.post('/console/people/new', { email: 'pat@example.com', name: 'Pat', channels: 'push', contacts: 'ntfy=pat-topic' });
    expect(ok.status).to.equal(303);
    expect((await app.app.users.getByEmail('pat@example.com'))!.channels).to.deep.equal(['push']);
  });

  it('refuses a bad PIN, a contact line without "=", and a repeated field', async () => {
    const pin = await c.post('/console/people/new', { ...ALICE, email: 'p1@example.com', pin: '12' });
    expect(pin.status).to.equal(400);
    expect(control(await pin.text(), 'pin')).to.include('aria-invalid="true"');
    const contact = await c.post('/console/people/new', { ...ALICE, email: 'p2@example.com', contacts: 'ntfy=x\nnonsense' });
    expect(contact.status).to.equal(400);
    const html = await contact.text();
    expect(control(html, 'contacts')).to.include('aria-invalid="true"');
    expect(html).to.include('Line 2 is not KEY=VALUE');
    const twice = await c.post('/console/people/new', { ...ALICE, email: 'p3@example.com', name: ['A', 'B'] });
    expect(twice.status).to.equal(400);
    expect(await app.app.users.getByEmail('p1@example.com')).to.equal(null);
    expect(await app.app.users.getByEmail('p2@example.com')).to.equal(null);
    expect(await app.app.users.getByEmail('p3@example.com')).to.equal(null);
  });

  it('edit keeps the PIN when left blank and writes only what changed (user.update in the audit log)', async () => {
    const res = await c.post('/console/people/alice%40example.com/edit', {
      ...ALICE,
      name: 'Alice S.',
      pin: '',
      channels: ['sms', 'voice', 'push'],
    });
    expect(res.status).to.equal(303);
    const u = (await app.app.users.getByEmail('alice@example.com'))!;
    expect(u.name).to.equal('Alice S.');
    expect(u.channels).to.deep.equal(['voice', 'sms', 'push']); // the order they had, the new one last
    expect(u.phoneVerified).to.equal(true);
    expect(await verifyPin('0123', await pinHash('alice@example.com'))).to.equal(true);
    const [entry] = await audit('target=alice@example.com&action=user.update');
    expect(entry.detail).to.deep.equal({ name: 'Alice S.', channels: ['voice', 'sms', 'push'] });
    // The same values again: nothing to write.
    const same = await c.post('/console/people/alice%40example.com/edit', {
      ...ALICE,
      name: 'Alice S.',
      pin: '',
      channels: ['voice', 'sms', 'push'],
    });
    expect(same.headers.get('location')).to.equal('/console/people/alice%40example.com?done=unchanged');
    expect(await audit('target=alice@example.com&action=user.update')).to.have.length(1);
  });

  it('edit takes the phones one per line: added, labelled, reordered and removed, each keeping its own verified mark', async () => {
    const edit = (phone: string) => c.post('/console/people/alice%40example.com/edit', { ...ALICE, pin: '', phone });
    expect((await edit('mobile=+79161234567\r\ndesk=+74951234567')).status).to.equal(303);
    await app.app.users.setPhoneVerified((await app.app.users.getByEmail('alice@example.com'))!.id, '+74951234567', false);
    expect((await edit('desk=+74951234567\n+79161234567')).status).to.equal(303);
    const u = (await app.app.users.getByEmail('alice@example.com'))!;
    expect(u.phones).to.deep.equal([
      { number: '+74951234567', label: 'desk', verified: false },
      { number: '+79161234567', label: null, verified: true },
    ]);
    const page = await c.html('/console/people/alice%40example.com');
    expect(page).not.to.include('+74951234567').and.not.include('+79161234567');
    expect(page).to.match(/\+7495\*+67<\/span> <small><bdi>desk<\/bdi><\/small> <span class="badge warn">/);
    const form = await c.html('/console/people/alice%40example.com/edit');
    expect(form).to.include('>desk=+74951234567\n+79161234567</textarea>');
    const [entry] = await audit('target=alice@example.com&action=user.update');
    expect(JSON.stringify(entry.detail)).not.to.include('4951234567');
    expect((await edit('+79161234567')).status).to.equal(303);
    expect((await app.app.users.getByEmail('alice@example.com'))!.phones.map((p) => p.number)).to.deep.equal(['+79161234567']);
    const twice = await edit('+79161234567\n+7 916 123-45-67');
    expect(twice.status).to.equal(400);
    expect(control(await twice.text(), 'phone')).to.include('aria-invalid="true"');
  });

  it('edit sets a new PIN, clears it when asked, and refuses both at once', async () => {
    const both = await c.post('/console/people/alice%40example.com/edit', { ...ALICE, pin: '4321', clear_pin: '1' });
    expect(both.status).to.equal(400);
    expect(await verifyPin('0123', await pinHash('alice@example.com'))).to.equal(true);
    await c.post('/console/people/alice%40example.com/edit', { ...ALICE, pin: '4321' });
    expect(await verifyPin('4321', await pinHash('alice@example.com'))).to.equal(true);
    const cleared = await c.post('/console/people/alice%40example.com/edit', { ...ALICE, pin: '', clear_pin: '1' });
    expect(cleared.status).to.equal(303);
    expect(await pinHash('alice@example.com')).to.equal(null);
    const [entry] = await audit('target=alice@example.com&action=user.update');
    expect(entry.detail).to.deep.equal({ pin: 'cleared' });
  });

  it('edit validates as `users set`: a bad phone is a 400 with the field marked; clearing the time zone works', async () => {
    const bad = await c.post('/console/people/alice%40example.com/edit', { ...ALICE, phone: 'PJSIP/1&evil' });
    expect(bad.status).to.equal(400);
    expect(control(await bad.text(), 'phone')).to.include('aria-invalid="true"');
    expect((await app.app.users.getByEmail('alice@example.com'))!.phone).to.equal('+79161234567');
    const tz = await c.post('/console/people/alice%40example.com/edit', { ...ALICE, timezone: '' });
    expect(tz.status).to.equal(303);
    expect((await app.app.users.getByEmail('alice@example.com'))!.timezone).to.equal(null);
  });

  it('refuses changes without the CSRF field, with a wrong one, or from another origin; nothing changes', async () => {
    for (const opts of [{ csrf: null }, { csrf: 'forged-token' }, { headers: { origin: 'http://evil.example' } }]) {
      const edit = await c.post('/console/people/alice%40example.com/edit', { ...ALICE, name: 'Hacked' }, opts);
      expect(edit.status, JSON.stringify(opts)).to.equal(403);
      const remove = await c.post('/console/people/alice%40example.com/remove', {}, opts);
      expect(remove.status).to.equal(403);
      const imp = await c.post(
        '/console/people/import',
        { text: '- {email: evil@example.com, name: E, phone: "+15550009999"}', step: 'apply' },
        opts,
      );
      expect(imp.status).to.equal(403);
    }
    const u = (await app.app.users.getByEmail('alice@example.com'))!;
    expect(u.name).to.equal('Alice Smith');
    expect(await app.app.users.getByEmail('evil@example.com')).to.equal(null);
  });

  it('escapes what people type: a name like <script> is text', async () => {
    const res = await c.post('/console/people/new', { email: 'xss@example.com', name: '<script>alert(1)</script>', phone: '+15550002222' });
    expect(res.status).to.equal(303);
    for (const path of ['/console/people', '/console/people/xss%40example.com', '/console/people/xss%40example.com/edit']) {
      const html = await c.html(path);
      expect(html, path).not.to.include('<script>alert(1)');
      expect(html, path).to.include('&lt;script&gt;alert(1)&lt;/script&gt;');
      // Nothing inline the CSP would block: the area's behaviour lives in console.js.
      expect(html, path).not.to.match(/<script>|\son[a-z]+=/i);
    }
  });

  it('answers 404 for an unknown person, a malformed email or a test that is not theirs', async () => {
    for (const path of [
      '/console/people/nobody%40example.com',
      '/console/people/not-an-email',
      '/console/people/alice%40example.com/test/999',
      '/console/people/alice%40example.com/test/abc',
    ]) {
      const res = await c.get(path);
      expect(res.status, path).to.equal(404);
      expect(await res.text()).to.include('No such person');
    }
  });

  it('speaks Russian from ?lang=ru and from Accept-Language', async () => {
    const viaQuery = await (await c.get('/console/people?lang=ru')).text();
    expect(viaQuery).to.include('<html lang="ru">').and.include('Добавить человека').and.include('Подтверждён');
    const viaHeader = await (await c.get('/console/people/new', { 'accept-language': 'ru-RU,ru;q=0.9' })).text();
    expect(viaHeader).to.include('Новый человек').and.include('Телефон');
    const bad = await c.post('/console/people/new', { email: 'x', name: '', phone: '1' }, { headers: { 'accept-language': 'ru' } });
    expect(await bad.text())
      .to.include('Исправьте отмеченные поля')
      .and.include('Введите правильный адрес почты');
  });

  it('removes a person after the confirm (user.remove in the audit log) and lists the rest', async () => {
    const page = await c.html('/console/people/xss%40example.com');
    expect(page).to.match(/<form method="post" action="\/console\/people\/xss%40example\.com\/remove" data-confirm="Remove /);
    const res = await c.post('/console/people/xss%40example.com/remove', {});
    expect(res.status).to.equal(303);
    expect(res.headers.get('location')).to.equal('/console/people?done=removed');
    expect(await app.app.users.getByEmail('xss@example.com')).to.equal(null);
    expect(await audit('target=xss@example.com&action=user.remove')).to.have.length(1);
    expect(await c.html('/console/people?done=removed')).to.include('Removed from the directory');
  });
});

describe('console people import over HTTP', () => {
  let app: RunningApp;
  let c: ConsoleClient;
  before(async () => {
    app = await startConsoleApp();
    c = await ConsoleClient.signIn(app.url);
    await app.app.users.create(
      { email: 'alice@example.com', name: 'Alice Smith', phone: '+79161234567', pin: '1111', channels: ['voice', 'sms'] },
      { lang: 'ru' },
    );
    await app.app.users.create({ email: 'bob@example.com', name: 'Bob Jones', phone: '+15550001111' }, { lang: 'en' });
  });
  after(async () => app?.close());

  const YAML = [
    '- {email: alice@example.com, name: Alice Smith, phone: "+79161234567", pin: "1111", channels: [voice, sms]}',
    '- {email: bob@example.com, name: Robert Jones, phone: +15550001111, lang: ru}',
    '- {email: carol@example.com, name: Carol White, phone: 1234, pin: 0123}',
    '',
  ].join('\n');
  const snapshot = async () =>
    JSON.stringify(await app.app.db('users').orderBy('id').select('email', 'name', 'phone', 'lang', 'pin_hash', 'updated_at'));

  it('the preview lists new, updated (with the fields) and unchanged, and writes nothing', async () => {
    const before = await snapshot();
    const res = await c.post('/console/people/import', { text: YAML, format: 'auto', step: 'preview' });
    expect(res.status).to.equal(200);
    const html = await res.text();
    expect(html).to.include('New: 1; updated: 1; unchanged: 1; errors: 0.');
    const rows = html.split('<tr>').slice(2);
    expect(rows[0]).to.include('alice@example.com').and.include('unchanged');
    expect(rows[1]).to.include('bob@example.com').and.include('updated').and.include('name, language');
    expect(rows[2]).to.include('carol@example.com').and.include('new');
    // The apply form carries the same text.
    expect(html).to.include('name="step" value="apply"').and.include('Apply: write 2 changes');
    expect(html).to.include('phone: 1234, pin: 0123}');
    expect(await snapshot()).to.equal(before);
  });

  it('lists every error with its entry number and offers no apply; nothing is written', async () => {
    const before = await snapshot();
    const bad = [
      '- {email: ok@example.com, name: Ok, phone: "+15550003333"}',
      '- {email: broken, name: B}',
      '- {email: nobody@example.com, name: Nobody}',
      '- {email: pin@example.com, name: P, phone: "+15550004444", pin: 012}',
    ].join('\n');
    const res = await c.post('/console/people/import', { text: bad, step: 'apply' });
    expect(res.status).to.equal(400);
    const html = await res.text();
    expect(html).to.include('Entry 2').and.include('email: not a valid email address');
    expect(html).to.include('Entry 3').and.include('nobody@example.com has no phone and no contact');
    expect(html).to.include('Entry 4').and.include('write it in quotes');
    expect(html).not.to.include('name="step" value="apply"');
    expect(await snapshot()).to.equal(before);
    const unreadable = await c.post('/console/people/import', { text: 'users: {email: a@b.c', step: 'preview' });
    expect(unreadable.status).to.equal(400);
    expect(await unreadable.text())
      .to.include('cannot be read')
      .and.include('not valid YAML');
  });

  it('apply writes (user.import in the audit log): YAML PIN "0123" kept, phone 1234 taken as the CLI takes it', async () => {
    const res = await c.post('/console/people/import', { text: YAML, format: 'auto', step: 'apply' });
    expect(res.status).to.equal(303);
    expect(res.headers.get('location')).to.equal('/console/people?done=imported&created=1&updated=1&unchanged=1');
    const carol = (await app.app.users.getByEmail('carol@example.com'))!;
    expect(carol.phone).to.equal('1234');
    expect(await verifyPin('0123', (await app.app.users.secrets(carol.id)).pinHash)).to.equal(true);
    const bob = (await app.app.users.getByEmail('bob@example.com'))!;
    expect(bob).to.include({ name: 'Robert Jones', lang: 'ru', phone: '+15550001111' });
    const audit = (
      (await (
        await fetch(`${app.url}/api/admin/audit?action=user.import`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } })
      ).json()) as { results: AuditRow[] }
    ).results;
    expect(audit).to.have.length(1);
    expect(audit[0].detail).to.deep.include({ created: 1, updated: 1, unchanged: 1 });
    expect(audit[0].detail!.emails).to.deep.equal({ created: ['carol@example.com'], updated: ['bob@example.com'] });
    expect(JSON.stringify(audit[0])).not.to.include('0123');
    expect(await c.html('/console/people?done=imported&created=1&updated=1&unchanged=1')).to.include(
      'Imported: 1 new, 1 updated, 1 unchanged.',
    );
  });

  it('imports CSV (header row, channels separated by ; or space, leading zeros kept)', async () => {
    const csv =
      'email,name,phone,lang,pin,channels\ndan@example.com,"Dan, the DBA",+15550005555,en,0042,voice;sms\nerin@example.com,Erin,+15550006666,ru,,sms voice\n';
    const preview = await c.post('/console/people/import', { text: csv, step: 'preview' });
    expect(preview.status).to.equal(200);
    expect(await preview.text()).to.include('New: 2; updated: 0; unchanged: 0; errors: 0.');
    expect(await app.app.users.getByEmail('dan@example.com')).to.equal(null);
    const res = await c.post('/console/people/import', { text: csv, format: 'csv', step: 'apply' });
    expect(res.status).to.equal(303);
    const dan = (await app.app.users.getByEmail('dan@example.com'))!;
    expect(dan).to.include({ name: 'Dan, the DBA', phone: '+15550005555', lang: 'en' });
    expect(dan.channels).to.deep.equal(['voice', 'sms']);
    expect(await verifyPin('0042', (await app.app.users.secrets(dan.id)).pinHash)).to.equal(true);
    expect((await app.app.users.getByEmail('erin@example.com'))!.channels).to.deep.equal(['sms', 'voice']);
    const bad = await c.post('/console/people/import', { text: 'email,name,shoe\nx@example.com,X,42\n', step: 'preview' });
    expect(bad.status).to.equal(400);
    expect(await bad.text()).to.include('unknown column &quot;shoe&quot;');
  });

  it('CSV from a spreadsheet: a byte-order mark, CRLF line ends, quoted quotes, and contacts for a push-only person', async () => {
    const csv = '\uFEFFEmail,Name,Channels,Contacts\r\nfay@example.com,"Fay ""the pager"" Lee",push,ntfy=fay-topic; telegram=12345\r\n';
    const res = await c.post('/console/people/import', { text: csv, step: 'apply' });
    expect(res.status).to.equal(303);
    const fay = (await app.app.users.getByEmail('fay@example.com'))!;
    expect(fay.name).to.equal('Fay "the pager" Lee');
    expect(fay.contacts).to.deep.equal({ ntfy: 'fay-topic', telegram: '12345' });
    expect(fay.channels).to.deep.equal(['push']);
    const badContact = await c.post('/console/people/import', {
      text: 'email,name,contacts\ngus@example.com,Gus,nonsense\n',
      step: 'preview',
    });
    expect(badContact.status).to.equal(400);
    expect(await badContact.text()).to.include('line 2: contact &quot;nonsense&quot; is not KEY=VALUE');
    const ragged = await c.post('/console/people/import', {
      text: 'email,name\ngus@example.com,Gus,+15550007777\n',
      format: 'csv',
      step: 'preview',
    });
    expect(await ragged.text()).to.include('line 2: 3 cells, but the header has 2 columns');
    expect(await app.app.users.getByEmail('gus@example.com')).to.equal(null);
  });

  it('the import page in Russian', async () => {
    const html = await (await c.get('/console/people/import', { 'accept-language': 'ru' })).text();
    expect(html).to.include('Импорт людей').and.include('Предпросмотр').and.include('Люди в формате YAML или CSV');
  });

  it('a Russian page words every import problem in Russian: fields, unknown keys, an email twice, an unquoted PIN, CSV lines', async () => {
    const ru = { 'accept-language': 'ru' };
    const bad = [
      '- {email: broken, name: B, phone: "12a"}',
      '- {email: y@example.com, name: Y, phone: "+15550003333", shoe: 42}',
      '- {email: x@example.com, name: X, phone: "+15550003333"}',
      '- {email: x@example.com, name: X2, phone: "+15550003333"}',
      '- {email: p@example.com, name: P, phone: "+15550004444", pin: 012}',
      '- {email: nobody@example.com, name: Nobody}',
    ].join('\n');
    const res = await c.post('/console/people/import', { text: bad, step: 'preview' }, { headers: ru });
    expect(res.status).to.equal(400);
    const list = /<ul class="import-errors">([\s\S]*?)<\/ul>/.exec(await res.text())?.[1] ?? '';
    const items = list
      .split('<li>')
      .slice(1)
      .map((li) => li.replace(/<[^>]+>/g, '').replace(/&quot;/g, '"'));
    expect(items[0])
      .to.include('Запись 1')
      .and.include('почта: Введите правильный адрес почты')
      .and.include('телефон: Номер в международном формате');
    expect(items[1]).to.include('Запись 2').and.include('Неизвестные поля: "shoe"');
    expect(items[2]).to.include('Запись 4').and.include('x@example.com встречается в списке дважды');
    expect(items[3]).to.include('Запись 5').and.include('PIN-код: PIN-код — это 4–8 цифр.').and.include('возьмите его в кавычки');
    expect(items[4]).to.include('Запись 6').and.include('У nobody@example.com нет ни телефона, ни контакта');
    expect(items).to.have.length(5);
    expect(items.join(' ')).not.to.match(/not a valid|Unrecognized|appears twice|write it in quotes/i);
    const csv = async (text: string) =>
      (await (await c.post('/console/people/import', { text, format: 'csv', step: 'preview' }, { headers: ru })).text()).replace(
        /&quot;/g,
        '"',
      );
    expect(await csv('email,name,shoe\nx@example.com,X,42\n')).to.include('Список не читается: строка 1: неизвестные столбцы "shoe"');
    expect(await csv('email,name\ngus@example.com,Gus,+15550007777\n')).to.include('строка 2: ячеек 3, а в заголовке столбцов 2.');
    expect(await csv('email,name,contacts\ngus@example.com,Gus,nonsense\n')).to.include(
      'строка 2: контакт «nonsense» не в виде КЛЮЧ=ЗНАЧЕНИЕ',
    );
    expect(await csv('name\nGus\n')).to.include('в строке заголовков нет столбца «email»');
  });
});
