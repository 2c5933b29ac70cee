/**
 * The seam between dispatch and the outside world for SMS and push. Dispatch knows only
 * this interface; each technology (HTTP webhook, SMPP, ntfy, Telegram) lives in its own file.
 */
export type SenderKind = 'sms' | 'push';
export type Priority = 'low' | 'normal' | 'high' | 'urgent';
export const PRIORITIES: readonly Priority[] = ['low', 'normal', 'high', 'urgent'];

export interface Recipient {
  /** E.164 number, used by SMS senders. */
  phone?: string | null;
  /** Per-user addresses keyed by sender contact key, e.g. `ntfy` = topic, `telegram` = chat id. */
  contacts: Record<string, string>;
  email: string;
  name: string;
}

export interface OutboundMessage {
  to: Recipient;
  text: string;
  title?: string;
  priority: Priority;
  /** Signed acknowledge link; every SMS and push carries it when present. */
  ackUrl?: string;
  alertGroupId?: string;
}

export interface Receipt {
  sender: string;
  kind: SenderKind;
  /** The remote side's id (SMSC message id, ntfy id, Telegram message id) when it gave one. */
  id: string | null;
  /** SMS parts submitted (SMPP long messages), else 1. */
  parts: number;
  at: number;
}

export interface SenderHealth {
  ok: boolean;
  detail: string;
  /** Set only when `ok` alone would overstate it: nothing was probed, or recent sends failed. */
  state?: 'unchecked' | 'degraded';
}

export interface Sender {
  readonly kind: SenderKind;
  readonly name: string;
  /** True when this sender has an address for the person (a phone for SMS, a contact for push). */
  accepts(to: Recipient): boolean;
  /** Resolves with a receipt, or rejects with an AppError whose `temporary` says whether a retry may help. */
  send(msg: OutboundMessage, signal?: AbortSignal): Promise<Receipt>;
  health(signal?: AbortSignal): Promise<SenderHealth>;
  close?(): Promise<void>;
}

/** Delivery report from the network (SMPP receipts), reported after send() resolved. */
export interface DeliveryReport {
  sender: string;
  /** The id the receipt carried. */
  id: string;
  /** SMPP stat word: DELIVRD, UNDELIV, EXPIRED, REJECTD, … */
  state: string;
  delivered: boolean;
  error: string | null;
}
