/**
 * Phone verification by call on a real Asterisk: `dozvon users verify --call` (the admin API)
 * rings the number over the SIP trunk, reads the 6-digit code twice with Asterisk's own digit
 * sounds, and the person types it back on the keypad.
 */
import { expect } from 'chai';
import { useRealAsterisk } from './setup';
import { realWorld, RealWorld, ADMIN_TOKEN, CLOUD_TOKEN } from './world';
import { expectHeardInFull, heardToEnd, playedOn, spokenTexts, targetOf } from './hotline-helpers';

describe('real Asterisk: phone verification by call', function () {
  const asterisk = useRealAsterisk(this);
  let w: RealWorld;

  beforeEach(async () => {
    w = await realWorld(asterisk(), { env: { DOZVON_TTS: 'espeak' } });
  });
  afterEach(async function () {
    if (this.currentTest?.state === 'failed') {
      process.stderr.write(
        `phones saw: ${JSON.stringify(w.phones.events.filter((e) => e.playback).map((e) => `${e.type} ${e.playback!.target_uri} ${e.playback!.media_uri}`))}\n`,
      );
      process.stderr.write(
        `dozvon said: ${w.logs
          .filter((l) => /verif|warn|error/.test(l))
          .slice(-20)
          .join('')}\n`,
      );
    }
    await w.close();
  });

  async function isVerified(email: string): Promise<boolean> {
    const r = await fetch(`${w.url}/api/v1/users/?email=${encodeURIComponent(email)}`, { headers: { authorization: CLOUD_TOKEN } });
    expect(r.status).to.equal(200);
    const body = (await r.json()) as { results: { email: string; is_phone_number_verified: boolean }[] };
    return body.results.find((u) => u.email === email)!.is_phone_number_verified;
  }

  it('the phone hears the code read twice as digits, types it back, and the number is verified', async () => {
    await w.app.users.create({ email: 'dave@example.com', name: 'Dave Brown', phone: '1004', phone_verified: false }, { lang: 'en' });
    const said = spokenTexts(w);
    expect(await isVerified('dave@example.com')).to.equal(false);

    const sent = fetch(`${w.url}/api/admin/users/dave%40example.com/verify`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ method: 'call', wait: true }),
    });
    const call = await w.phones.expectCall('1004');
    await call.ring();
    await call.answer();
    const leg = await targetOf(w.phones, (m) => m.startsWith('digits:'), 'the code');
    const at = await heardToEnd(w.phones, leg, (m) => said.get(m)?.text === 'Enter the code to confirm.', '"enter the code"');
    const heard = playedOn(w.phones, leg).slice(0, at);
    const codes = heard.filter((m) => m.startsWith('digits:'));
    expect(codes, 'the code is read twice, as digits').to.have.length(2);
    expect(codes[0])
      .to.match(/^digits:\d{6}$/)
      .and.equal(codes[1]);
    expect(heard.map((m) => said.get(m)?.text ?? m)).to.deep.equal([
      'Your dozvon verification code is',
      codes[0],
      'sound:silence/1',
      'Your dozvon verification code is',
      codes[0],
      'sound:silence/1',
      'Enter the code to confirm.',
    ]);

    await call.press(`${codes[0].slice('digits:'.length)}#`);
    const end = await heardToEnd(
      w.phones,
      leg,
      (m) => said.get(m)?.text.startsWith('Thank you, your number is verified') ?? false,
      '"your number is verified"',
      at,
    );
    await call.waitEnded();
    const r = await sent;
    expect(r.status).to.equal(200);
    expect(await r.json()).to.include({ method: 'call', outcome: 'verified' });
    expect(await isVerified('dave@example.com')).to.equal(true);
    expect((await w.app.users.getByEmail('dave@example.com'))!.phoneVerified).to.equal(true);

    // What the phone heard: everything dozvon played, digits included, in full.
    expectHeardInFull(w, await call.recording(), playedOn(w.phones, leg).slice(0, end), 'en', 'the verification call');
  });
});
