/**
 * A real SMPP server (the `smpp` library's server side) on 127.0.0.1 acting as an SMSC: checks
 * bind credentials, answers submit_sm with message ids (or scripted error statuses), reassembles
 * concatenated messages from their UDH, sends delivery receipts, and can drop every bind.
 */
import { EventEmitter } from 'node:events';
import type { AddressInfo } from 'node:net';
import { createSmppServer, SmppPdu, SmppServer, SmppSession } from '../../../src/senders/smpp-lib';

export interface SmscSubmit {
  destination: string;
  source: string;
  dataCoding: number;
  esmClass: number;
  /** The concatenation IE as [ref, total, seq], or null for a single part. */
  concat: [number, number, number] | null;
  viaPayload: boolean;
  text: string;
  messageId: string;
  registeredDelivery: number;
}

export interface SmscMessage {
  destination: string;
  text: string;
  parts: number;
  messageIds: string[];
}

export interface FakeSmscOptions {
  systemId?: string;
  password?: string;
  /** Send a DELIVRD receipt right after each accepted submit. */
  autoReceipt?: boolean;
}

export class FakeSmsc {
  readonly submits: SmscSubmit[] = [];
  readonly receiptAcks: string[] = [];
  binds = 0;
  enquireLinks = 0;
  /** False makes the SMSC ignore enquire_link, as a hung peer does. */
  answerEnquireLinks = true;
  url = '';
  /** Statuses for the next submit_sm answers, in order (0 = accept). */
  readonly submitStatuses: number[] = [];
  private readonly events = new EventEmitter();
  private server: SmppServer | null = null;
  private seq = 0;

  constructor(private readonly opts: FakeSmscOptions = {}) {}

  static async start(opts: FakeSmscOptions = {}): Promise<FakeSmsc> {
    const s = new FakeSmsc(opts);
    s.server = createSmppServer((session) => s.onSession(session));
    await new Promise<void>((resolve) => s.server!.listen(0, '127.0.0.1', resolve));
    s.url = `smpp://127.0.0.1:${(s.server.address() as AddressInfo).port}`;
    return s;
  }

  get sessions(): number {
    return this.server?.sessions.length ?? 0;
  }

  /** Whole messages: concatenated parts joined in order, single parts as they are. */
  messages(): SmscMessage[] {
    const out: SmscMessage[] = [];
    const groups = new Map<string, SmscSubmit[]>();
    for (const s of this.submits) {
      if (!s.concat) {
        out.push({ destination: s.destination, text: s.text, parts: 1, messageIds: [s.messageId] });
        continue;
      }
      const key = `${s.destination}/${s.concat[0]}/${s.concat[1]}`;
      const g = groups.get(key) ?? [];
      g.push(s);
      groups.set(key, g);
      if (g.length === s.concat[1]) {
        g.sort((a, b) => a.concat![2] - b.concat![2]);
        out.push({
          destination: s.destination,
          text: g.map((p) => p.text).join(''),
          parts: g.length,
          messageIds: g.map((p) => p.messageId),
        });
      }
    }
    return out;
  }

  /** Resolves once the predicate holds (checked after every bind, submit and receipt ack). */
  waitFor(what: string, predicate: () => boolean, timeoutMs = 5000): Promise<void> {
    if (predicate()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const t = setTimeout(() => {
        this.events.off('change', check);
        reject(new Error(`fake SMSC: timed out waiting for ${what}`));
      }, timeoutMs);
      const check = () => {
        if (!predicate()) return;
        clearTimeout(t);
        this.events.off('change', check);
        resolve();
      };
      this.events.on('change', check);
    });
  }

  /** Drops every connection without an unbind, as a crashing or restarting SMSC does. */
  dropAll(): void {
    for (const s of [...(this.server?.sessions ?? [])]) s.destroy();
  }

  /** Sends a delivery receipt for a message id to every bound session. */
  sendReceipt(messageId: string, stat = 'DELIVRD', err = '000'): void {
    const state = { DELIVRD: 2, EXPIRED: 3, UNDELIV: 5, REJECTD: 8 }[stat] ?? 7;
    for (const s of this.server?.sessions ?? []) {
      s.deliver_sm(
        {
          esm_class: 0x04,
          short_message: `id:${messageId} sub:001 dlvrd:001 submit date:2611210300 done date:2611210301 stat:${stat} err:${err} text:`,
          receipted_message_id: messageId,
          message_state: state,
        },
        () => {
          this.receiptAcks.push(messageId);
          this.events.emit('change');
        },
      );
    }
  }

  async close(): Promise<void> {
    this.dropAll();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  private onSession(session: SmppSession): void {
    session.on('error', () => undefined); // a client going away mid-write is normal here
    session.on('close', () => setImmediate(() => this.events.emit('change')));
    const onBind = (pdu: SmppPdu) => {
      const ok = pdu.system_id === (this.opts.systemId ?? 'dozvon') && pdu.password === (this.opts.password ?? 'secret');
      session.send(pdu.response(ok ? { system_id: 'fake-smsc' } : { command_status: 0x0e }));
      if (ok) this.binds++;
      this.events.emit('change');
    };
    session.on('bind_transceiver', onBind);
    session.on('bind_transmitter', onBind);
    session.on('enquire_link', (pdu: SmppPdu) => {
      this.enquireLinks++;
      if (this.answerEnquireLinks) session.send(pdu.response());
      this.events.emit('change');
    });
    session.on('unbind', (pdu: SmppPdu) => {
      session.send(pdu.response());
      session.close();
    });
    session.on('submit_sm', (pdu: SmppPdu) => this.onSubmit(session, pdu));
  }

  private onSubmit(session: SmppSession, pdu: SmppPdu): void {
    const status = this.submitStatuses.shift() ?? 0;
    if (status !== 0) {
      session.send(pdu.response({ command_status: status }));
      return;
    }
    const messageId = `m${++this.seq}`;
    const payload = pdu.message_payload as { message?: string } | undefined;
    const sm = pdu.short_message as { message?: string; udh?: Buffer[] } | undefined;
    const ie = sm?.udh?.find((u) => u[0] === 0x00);
    this.submits.push({
      destination: String(pdu.destination_addr),
      source: String(pdu.source_addr),
      dataCoding: Number(pdu.data_coding),
      esmClass: Number(pdu.esm_class),
      concat: ie ? [ie[2], ie[3], ie[4]] : null,
      viaPayload: Boolean(payload?.message),
      text: payload?.message ? String(payload.message) : String(sm?.message ?? ''),
      messageId,
      registeredDelivery: Number(pdu.registered_delivery),
    });
    session.send(pdu.response({ message_id: messageId }));
    this.events.emit('change');
    if (this.opts.autoReceipt) this.sendReceipt(messageId);
  }
}
