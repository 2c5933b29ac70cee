/**
 * SMS over SMPP 3.4/5.0 to an SMSC. One bind (transceiver by default, so delivery receipts
 * come back on it), opened on first use and kept: enquire_link keeps it alive, and when the
 * SMSC drops it the sender binds again after `reconnect_ms` (and at once on the next send).
 */
import { AppError } from '../core/errors';
import type { Clock, TimerHandle } from '../core/clock';
import type { Logger } from '../core/log';
import { maskPhone } from '../core/mask';
import type { SmppConfig } from './config';
import { connectSmpp, ESM_DELIVERY_RECEIPT, SMPP_STATUS, SmppPdu, SmppSession } from './smpp-lib';
import { fitText, planSubmits, SubmitFields } from './smpp-split';
import type { DeliveryReport, OutboundMessage, Receipt, Recipient, Sender, SenderHealth } from './types';

export interface SmppDeps {
  clock: Clock;
  logger: Logger;
  onDeliveryReport?: (r: DeliveryReport) => void;
}

const TEMPORARY = new Set<number>([
  SMPP_STATUS.RSYSERR,
  SMPP_STATUS.RMSGQFUL,
  SMPP_STATUS.RSUBMITFAIL,
  SMPP_STATUS.RTHROTTLED,
  SMPP_STATUS.RX_T_APPN,
]);
const MAX_BACKOFF_MS = 60_000;
const REMEMBERED_IDS = 5_000;

export class SmppSender implements Sender {
  readonly kind = 'sms' as const;
  private session: SmppSession | null = null;
  private binding: Promise<SmppSession> | null = null;
  private closed = false;
  private reconnectTimer: TimerHandle | null = null;
  private keepaliveTimer: TimerHandle | null = null;
  private backoffMs: number;
  private lastError = 'not connected yet';
  private ref = Math.floor(Math.random() * 256);
  private readonly inFlight = new Set<(e: AppError) => void>();
  /** SMSC id of each part → the id in the receipt, so part receipts map to the message. */
  private readonly messageOf = new Map<string, string>();
  private readonly log: Logger;

  constructor(
    readonly name: string,
    private readonly cfg: SmppConfig,
    private readonly deps: SmppDeps,
  ) {
    this.backoffMs = cfg.reconnect_ms;
    this.log = deps.logger.child({ sender: name });
  }

  accepts(to: Recipient): boolean {
    return Boolean(to.phone);
  }

  async send(msg: OutboundMessage, signal?: AbortSignal): Promise<Receipt> {
    if (!msg.to.phone) throw new AppError('sender-no-address', `${this.name}: no phone number`, { temporary: false });
    const dest = msg.to.phone.replace(/^\+/, '');
    if (!/^\d{3,20}$/.test(dest))
      throw new AppError('sender-bad-address', `${this.name}: not a phone number: ${maskPhone(msg.to.phone)}`, { temporary: false });
    const text = fitText(msg.text, msg.ackUrl && !msg.text.includes(msg.ackUrl) ? `\nAck: ${msg.ackUrl}` : '', this.cfg.max_parts);
    this.ref = (this.ref + 1) & 0xff;
    const parts = planSubmits(text, this.cfg.long_messages, this.ref);
    const ids: string[] = [];
    let session = await this.bound(signal);
    try {
      ids.push(await this.submit(session, dest, parts[0], signal));
    } catch (e) {
      // The SMSC hung up and we have not seen the close yet: bind again once, then go on.
      if (!(e instanceof AppError && e.code === 'sender-stale')) throw e;
      session = await this.bound(signal);
      ids.push(await this.submit(session, dest, parts[0], signal));
    }
    for (const part of parts.slice(1)) ids.push(await this.submit(session, dest, part, signal));
    const id = ids[0] ?? null;
    for (const partId of ids) this.remember(partId, ids[0]);
    this.log.info({ to: maskPhone(msg.to.phone), parts: parts.length, id }, 'sms submitted');
    return { sender: this.name, kind: 'sms', id, parts: parts.length, at: this.deps.clock.now() };
  }

  async health(signal?: AbortSignal): Promise<SenderHealth> {
    try {
      await this.bound(signal);
      return { ok: true, detail: `bound as ${this.cfg.bind}` };
    } catch (e) {
      return { ok: false, detail: (e as Error).message };
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    this.reconnectTimer?.cancel();
    this.keepaliveTimer?.cancel();
    const s = this.session;
    this.session = null;
    if (!s) return;
    await new Promise<void>((resolve) => {
      const t = this.deps.clock.setTimeout(() => s.destroy(() => resolve()), 1000);
      const sent = s.unbind({}, () => s.close());
      if (!sent) s.destroy();
      s.once('close', () => {
        t.cancel();
        resolve();
      });
    });
  }

  /** The bound session, binding first when needed; concurrent callers share one bind. */
  private bound(signal?: AbortSignal): Promise<SmppSession> {
    if (this.closed) return Promise.reject(new AppError('sender-closed', `${this.name}: closed`, { temporary: true }));
    if (this.session) return Promise.resolve(this.session);
    if (!this.binding) {
      this.binding = this.connect().finally(() => (this.binding = null));
    }
    return withSignal(this.binding, signal, this.name);
  }

  private connect(): Promise<SmppSession> {
    return new Promise((resolve, reject) => {
      const session = connectSmpp(this.cfg.url);
      let settled = false;
      const fail = (e: AppError) => {
        if (settled) return;
        settled = true;
        timer.cancel();
        this.lastError = e.message;
        session.destroy();
        reject(e);
      };
      const timer = this.deps.clock.setTimeout(
        () => fail(new AppError('sender-unreachable', `${this.name}: no bind within ${this.cfg.timeout_ms} ms`, { temporary: true })),
        this.cfg.timeout_ms,
      );
      session.on('error', (e: Error) => {
        this.lastError = `${this.name}: ${(e as NodeJS.ErrnoException).code ?? e.message}`;
        fail(new AppError('sender-unreachable', this.lastError, { temporary: true, cause: e }));
      });
      session.on('close', () => {
        fail(new AppError('sender-unreachable', `${this.name}: connection closed during bind`, { temporary: true }));
        this.onClose(session);
      });
      session.on('deliver_sm', (pdu: SmppPdu) => this.onDeliver(session, pdu));
      session.on('enquire_link', (pdu: SmppPdu) => session.send(pdu.response()));
      session.on('unbind', (pdu: SmppPdu) => {
        session.send(pdu.response());
        session.close();
      });
      session.once(this.cfg.url.startsWith('ssmpp:') ? 'secureConnect' : 'connect', () => {
        const creds = { system_id: this.cfg.system_id, password: this.cfg.password, system_type: this.cfg.system_type };
        const bindFn = this.cfg.bind === 'transceiver' ? session.bind_transceiver : session.bind_transmitter;
        bindFn.call(session, creds, (pdu) => {
          if (pdu.command_status !== 0) {
            return fail(
              new AppError(
                'sender-bind-refused',
                `${this.name}: bind refused (status 0x${pdu.command_status.toString(16)}): check system_id and password`,
                { temporary: false },
              ),
            );
          }
          if (this.closed) return fail(new AppError('sender-closed', `${this.name}: closed`, { temporary: true }));
          settled = true;
          timer.cancel();
          this.session = session;
          this.backoffMs = this.cfg.reconnect_ms;
          this.log.info({ bind: this.cfg.bind }, 'smpp bound');
          this.scheduleKeepalive(session);
          resolve(session);
        });
      });
    });
  }

  private submit(session: SmppSession, dest: string, part: SubmitFields, signal?: AbortSignal): Promise<string> {
    return new Promise((resolve, reject) => {
      if (signal?.aborted) return reject(new AppError('sender-cancelled', `${this.name}: cancelled`, { temporary: true }));
      const done = (fn: () => void) => {
        timer.cancel();
        signal?.removeEventListener('abort', onAbort);
        this.inFlight.delete(onLost);
        fn();
      };
      const onLost = (e: AppError) => done(() => reject(e));
      const onAbort = () => onLost(new AppError('sender-cancelled', `${this.name}: cancelled`, { temporary: true }));
      const timer = this.deps.clock.setTimeout(
        () =>
          onLost(
            new AppError('sender-unreachable', `${this.name}: no submit_sm_resp within ${this.cfg.timeout_ms} ms`, { temporary: true }),
          ),
        this.cfg.timeout_ms,
      );
      signal?.addEventListener('abort', onAbort, { once: true });
      this.inFlight.add(onLost);
      const fields: Record<string, unknown> = {
        ...part,
        source_addr: this.cfg.source_addr,
        source_addr_ton: this.cfg.source_addr_ton ?? (/^\+?\d+$/.test(this.cfg.source_addr) ? 1 : 5),
        source_addr_npi: this.cfg.source_addr_npi ?? (/^\+?\d+$/.test(this.cfg.source_addr) ? 1 : 0),
        dest_addr_ton: this.cfg.dest_addr_ton,
        dest_addr_npi: this.cfg.dest_addr_npi,
        destination_addr: dest,
        registered_delivery: this.cfg.registered_delivery ? 1 : 0,
      };
      if (!part.message_payload) delete fields.message_payload;
      const sent = session.submit_sm(fields, (resp) => {
        if (resp.command_status === 0) return done(() => resolve(String(resp.message_id ?? '')));
        const temporary = TEMPORARY.has(resp.command_status);
        onLost(
          new AppError(
            temporary ? 'sender-temporary' : 'sender-rejected',
            `${this.name}: submit_sm refused (status 0x${resp.command_status.toString(16)})`,
            { temporary, details: { status: resp.command_status } },
          ),
        );
      });
      if (!sent) {
        this.forget(session);
        onLost(new AppError('sender-stale', `${this.name}: connection not writable`, { temporary: true }));
      }
    });
  }

  private forget(session: SmppSession): void {
    if (this.session !== session) return;
    this.session = null;
    this.keepaliveTimer?.cancel();
    session.destroy();
  }

  private onClose(session: SmppSession): void {
    if (this.session !== session) return;
    this.session = null;
    this.keepaliveTimer?.cancel();
    const lost = new AppError('sender-stale', `${this.name}: SMSC closed the connection`, { temporary: true });
    for (const reject of [...this.inFlight]) reject(lost);
    if (this.closed) return;
    this.log.warn({ retryInMs: this.backoffMs }, 'smpp connection lost');
    this.scheduleReconnect();
  }

  private scheduleReconnect(): void {
    this.reconnectTimer?.cancel();
    this.reconnectTimer = this.deps.clock.setTimeout(() => {
      if (this.closed || this.session) return;
      this.bound().then(
        () => undefined,
        (e: unknown) => {
          this.log.warn({ err: (e as Error).message }, 'smpp reconnect failed');
          this.backoffMs = Math.min(this.backoffMs * 2, MAX_BACKOFF_MS);
          if (!this.closed && !(e instanceof AppError && !e.temporary)) this.scheduleReconnect();
        },
      );
    }, this.backoffMs);
  }

  private scheduleKeepalive(session: SmppSession): void {
    this.keepaliveTimer = this.deps.clock.setTimeout(() => {
      if (this.session !== session) return;
      const dead = this.deps.clock.setTimeout(() => session.destroy(), this.cfg.timeout_ms);
      const sent = session.enquire_link({}, () => {
        dead.cancel();
        this.scheduleKeepalive(session);
      });
      if (!sent) session.destroy();
    }, this.cfg.enquire_link_ms);
  }

  private onDeliver(session: SmppSession, pdu: SmppPdu): void {
    try {
      session.send(pdu.response());
      if (((pdu.esm_class as number) & 0x3c) !== ESM_DELIVERY_RECEIPT) return; // a message from a phone: not ours to handle
      const r = parseReceipt(pdu);
      if (!r) return;
      const id = this.messageOf.get(r.id) ?? r.id;
      this.log.info({ id, state: r.state }, 'sms delivery report');
      this.deps.onDeliveryReport?.({ sender: this.name, id, state: r.state, delivered: r.state === 'DELIVRD', error: r.error });
    } catch (e) {
      this.log.error({ err: (e as Error).message }, 'delivery report handling failed');
    }
  }

  private remember(partId: string, messageId: string): void {
    this.messageOf.set(partId, messageId);
    if (this.messageOf.size > REMEMBERED_IDS) this.messageOf.delete(this.messageOf.keys().next().value as string);
  }
}

const STATE_NAMES: Record<number, string> = {
  1: 'ENROUTE',
  2: 'DELIVRD',
  3: 'EXPIRED',
  4: 'DELETED',
  5: 'UNDELIV',
  6: 'ACCEPTD',
  7: 'UNKNOWN',
  8: 'REJECTD',
};

/** Receipt id and state from the TLVs when present, else from the "id:… stat:… err:…" text. */
export function parseReceipt(pdu: SmppPdu): { id: string; state: string; error: string | null } | null {
  const sm = pdu.short_message as { message?: unknown } | Buffer | string | undefined;
  const text = sm && typeof sm === 'object' && !Buffer.isBuffer(sm) ? String(sm.message ?? '') : String(sm ?? '');
  const id = (pdu.receipted_message_id as string | undefined) ?? /id:(\S+)/i.exec(text)?.[1];
  const stateNum = pdu.message_state as number | undefined;
  const state = (stateNum !== undefined ? STATE_NAMES[stateNum] : undefined) ?? /stat:(\w+)/i.exec(text)?.[1]?.toUpperCase();
  if (!id || !state) return null;
  const err = /err:(\w+)/i.exec(text)?.[1] ?? null;
  return { id, state, error: err && err !== '000' ? err : null };
}

function withSignal<T>(p: Promise<T>, signal: AbortSignal | undefined, name: string): Promise<T> {
  if (!signal) return p;
  if (signal.aborted) return Promise.reject(new AppError('sender-cancelled', `${name}: cancelled`, { temporary: true }));
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(new AppError('sender-cancelled', `${name}: cancelled`, { temporary: true }));
    signal.addEventListener('abort', onAbort, { once: true });
    p.then(
      (v) => {
        signal.removeEventListener('abort', onAbort);
        resolve(v);
      },
      (e: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(e);
      },
    );
  });
}
