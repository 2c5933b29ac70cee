/**
 * A sender's health probe alone can overstate it: a gateway's status page may answer while
 * every send is refused, and a webhook without a health URL is not probed at all. So each
 * sender also remembers how its own latest sends ended, and its health turns `degraded` while
 * the latest ones failed. The sends this process made are the source: they are what pages
 * people, they need no query on every self-check, and they cover every sender caller (pages,
 * verification codes, shift notices). A restart forgets them, which only loses a warning: the
 * next failed send brings it back, and an unprobed sender still shows `unchecked`, never `ok`.
 */
import { AppError, errorMessage } from '../core/errors';
import type { OutboundMessage, Receipt, Recipient, Sender, SenderHealth, SenderKind } from './types';

/** Failures that say nothing about the gateway: the person's address, or our own shutdown. */
const NOT_THE_GATEWAY = new Set(['sender-no-address', 'sender-bad-address', 'sender-closed']);

export class OutcomeTrackingSender implements Sender {
  readonly kind: SenderKind;
  readonly name: string;
  private failedInRow = 0;
  private lastError = '';

  constructor(private readonly inner: Sender) {
    this.kind = inner.kind;
    this.name = inner.name;
  }

  accepts(to: Recipient): boolean {
    return this.inner.accepts(to);
  }

  async send(msg: OutboundMessage, signal?: AbortSignal): Promise<Receipt> {
    try {
      const receipt = await this.inner.send(msg, signal);
      this.failedInRow = 0;
      return receipt;
    } catch (e) {
      if (!(e instanceof AppError && NOT_THE_GATEWAY.has(e.code))) {
        this.failedInRow++;
        this.lastError = errorMessage(e);
      }
      throw e;
    }
  }

  async health(signal?: AbortSignal): Promise<SenderHealth> {
    const probed = await this.inner.health(signal);
    // A probe that fails already says down; failed sends only add to what a passing or absent probe says.
    if (this.failedInRow === 0 || !probed.ok) return probed;
    const sends = this.failedInRow === 1 ? 'the last send failed' : `the last ${this.failedInRow} sends failed`;
    return { ok: true, state: 'degraded', detail: `${sends} (${this.lastError}); probe: ${probed.detail}` };
  }

  async close(): Promise<void> {
    await this.inner.close?.();
  }
}
