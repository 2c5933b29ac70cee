import { expect } from 'chai';
import { SystemClock } from '../../../src/core/clock';
import { silentLogger } from '../../../src/core/log';
import { SmppSender } from '../../../src/senders/smpp';
import { smppSchema } from '../../../src/senders/config';
import type { DeliveryReport } from '../../../src/senders/types';
import { FakeClock } from '../../fakes/clock';
import { FakeSmsc } from '../../fakes/senders';
import { message } from './helpers';
import { rejection } from '../../helpers/rejection';

describe('SmppSender against an in-process SMSC (smpp library server)', () => {
  let smsc: FakeSmsc;
  const senders: SmppSender[] = [];
  let reports: DeliveryReport[];
  beforeEach(async () => {
    smsc = await FakeSmsc.start();
    reports = [];
  });
  afterEach(async () => {
    for (const s of senders.splice(0)) await s.close();
    await smsc.close();
  });

  const build = (over: Record<string, unknown> = {}, clock = new SystemClock()) => {
    const cfg = smppSchema.parse({
      type: 'smpp',
      url: smsc.url,
      system_id: 'dozvon',
      password: 'secret',
      source_addr: 'dozvon',
      timeout_ms: 2000,
      ...over,
    });
    const s = new SmppSender('smsc', cfg, { clock, logger: silentLogger(), onDeliveryReport: (r) => reports.push(r) });
    senders.push(s);
    return s;
  };

  it('binds, submits one part with the ack link and returns the SMSC message id', async () => {
    const r = await build().send(message({ text: 'Incident: High CPU on db-1' }));
    expect(r).to.include({ sender: 'smsc', kind: 'sms', id: 'm1', parts: 1 });
    expect(smsc.binds).to.equal(1);
    const [s] = smsc.submits;
    expect(s.destination).to.equal('79161234567');
    expect(s.source).to.equal('dozvon');
    expect(s.dataCoding).to.equal(0);
    expect(s.registeredDelivery).to.equal(1);
    expect(s.text).to.equal('Incident: High CPU on db-1\nAck: http://dozvon.example/ack/42.abc.SIG');
  });

  it('splits a long GSM message into UDH-concatenated parts the SMSC reassembles', async () => {
    const long = 'Incident: disk full on db-1. '.repeat(12).trim(); // ~350 chars + link
    const r = await build().send(message({ text: long }));
    const parts = smsc.submits;
    expect(r.parts).to.equal(3);
    expect(parts).to.have.length(3);
    for (const [i, p] of parts.entries()) {
      expect(p.esmClass & 0x40).to.equal(0x40);
      expect(p.concat).to.deep.equal([parts[0].concat![0], 3, i + 1]);
      expect(p.text.length).to.be.at.most(153);
    }
    const [whole] = smsc.messages();
    expect(whole.text).to.equal(`${long}\nAck: http://dozvon.example/ack/42.abc.SIG`);
  });

  it('sends non-GSM text as UCS-2, 67 characters per part', async () => {
    const text = 'Инцидент: высокая загрузка процессора на db-1. '.repeat(3);
    await build().send(message({ text, ackUrl: undefined }));
    expect(smsc.submits.every((s) => s.dataCoding === 8)).to.equal(true);
    expect(smsc.submits.every((s) => s.text.length <= 67)).to.equal(true);
    expect(smsc.messages()[0].text).to.equal(text);
  });

  it('can carry a long message in one submit with message_payload', async () => {
    const long = 'x'.repeat(400);
    const r = await build({ long_messages: 'message_payload' }).send(message({ text: long, ackUrl: undefined }));
    expect(r.parts).to.equal(1);
    expect(smsc.submits).to.have.length(1);
    expect(smsc.submits[0].viaPayload).to.equal(true);
    expect(smsc.submits[0].text).to.equal(long);
  });

  it('shortens the text, never the ack link, to stay within max_parts', async () => {
    await build({ max_parts: 2 }).send(message({ text: 'y'.repeat(1000) }));
    const [m] = smsc.messages();
    expect(m.parts).to.equal(2);
    expect(m.text.endsWith('...\nAck: http://dozvon.example/ack/42.abc.SIG')).to.equal(true);
  });

  it('maps delivery receipts of every part to the message id', async () => {
    const s = build();
    const r = await s.send(message({ text: 'z'.repeat(200), ackUrl: undefined }));
    const ids = smsc.messages()[0].messageIds;
    smsc.sendReceipt(ids[1], 'DELIVRD');
    smsc.sendReceipt(ids[0], 'UNDELIV', '011');
    await smsc.waitFor('receipt acks', () => smsc.receiptAcks.length === 2);
    expect(reports).to.deep.equal([
      { sender: 'smsc', id: r.id, state: 'DELIVRD', delivered: true, error: null },
      { sender: 'smsc', id: r.id, state: 'UNDELIV', delivered: false, error: '011' },
    ]);
  });

  it('throttling is temporary, a bad destination permanent', async () => {
    const s = build();
    smsc.submitStatuses.push(0x58, 0x0b);
    const t = await rejection(s.send(message()));
    expect(t.temporary).to.equal(true);
    expect(t.message).to.match(/0x58/);
    expect((await rejection(s.send(message()))).temporary).to.equal(false);
    await s.send(message());
    expect(smsc.submits).to.have.length(1);
  });

  it('a wrong password is a permanent error and shows in health', async () => {
    const s = build({ password: 'nope' });
    const e = await rejection(s.send(message()));
    expect(e.temporary).to.equal(false);
    expect(e.message).to.match(/bind refused/);
    expect(e.message).not.to.include('nope');
    expect((await s.health()).ok).to.equal(false);
  });

  it('an unreachable SMSC is temporary', async () => {
    const url = smsc.url;
    await smsc.close();
    const s = build({ url });
    expect((await rejection(s.send(message()))).temporary).to.equal(true);
    smsc = await FakeSmsc.start(); // for afterEach
  });

  it('binds again on the next send after the SMSC dropped the bind', async () => {
    const s = build();
    await s.send(message());
    smsc.dropAll();
    await smsc.waitFor('the drop', () => smsc.sessions === 0);
    const r = await s.send(message());
    expect(r.id).to.equal('m2');
    expect(smsc.binds).to.equal(2);
  });

  it('rebinds by itself after reconnect_ms on its clock, so receipts keep flowing', async () => {
    const clock = new FakeClock();
    const s = build({ reconnect_ms: 5000 }, clock);
    expect((await s.health()).ok).to.equal(true);
    smsc.dropAll();
    await smsc.waitFor('the drop', () => smsc.sessions === 0);
    await clock.advance(4999);
    expect(smsc.binds).to.equal(1);
    await clock.advance(1);
    await smsc.waitFor('a second bind', () => smsc.binds === 2);
    expect((await s.health()).ok).to.equal(true);
  });

  it('keeps the bind alive with enquire_link and drops a peer that stops answering', async () => {
    const clock = new FakeClock();
    const s = build({ enquire_link_ms: 30_000, timeout_ms: 2000 }, clock);
    await s.health();
    await clock.advance(30_000);
    await smsc.waitFor('an enquire_link', () => smsc.enquireLinks === 1);
    await clock.advance(30_000);
    await smsc.waitFor('a second enquire_link', () => smsc.enquireLinks === 2);
    expect(smsc.sessions).to.equal(1);
    smsc.answerEnquireLinks = false;
    await clock.advance(30_000);
    await smsc.waitFor('a third enquire_link', () => smsc.enquireLinks === 3);
    await clock.advance(2000);
    await smsc.waitFor('the silent bind to be dropped', () => smsc.sessions === 0);
    expect(smsc.binds).to.equal(1);
  });

  it('closes with an unbind', async () => {
    const s = build();
    await s.send(message());
    await s.close();
    await smsc.waitFor('the session to end', () => smsc.sessions === 0);
    expect((await rejection(s.send(message()))).message).to.match(/closed/);
  });
});
