/**
 * Validates the `senders` config section and constructs the senders it names. Bad
 * configuration stops the start with a message naming the field, e.g.
 * `senders.push.1.bot_token: expected a bot token like 123456:ABC-DEF…`.
 */
import { ConfigError } from '../core/config-error';
import type { Clock } from '../core/clock';
import type { Logger } from '../core/log';
import { sendersSchema, SendersSection } from './config';
import { HttpPushSender } from './http-push';
import { HttpSmsSender } from './http-sms';
import { NtfySender } from './ntfy';
import { OutcomeTrackingSender } from './outcomes';
import { SmppSender } from './smpp';
import { TelegramSender } from './telegram';
import type { DeliveryReport, Recipient, Sender, SenderKind } from './types';

export interface SenderDeps {
  clock: Clock;
  logger: Logger;
  /** SMPP delivery receipts, reported after send() resolved. */
  onDeliveryReport?: (r: DeliveryReport) => void;
}

export interface SenderSet {
  /** In configured order: the first is the primary SMS route, the rest are fallbacks. */
  readonly sms: readonly Sender[];
  readonly push: readonly Sender[];
  byName(name: string): Sender | undefined;
  /** Senders of a channel that have an address for this person, in configured order. */
  forRecipient(kind: SenderKind, to: Recipient): Sender[];
  all(): Sender[];
  close(): Promise<void>;
}

export function parseSendersSection(section: unknown): SendersSection {
  const parsed = sendersSchema.safeParse(section ?? {});
  if (!parsed.success) {
    const [first, ...rest] = parsed.error.issues;
    const field = ['senders', ...first.path.map(String)].join('.');
    const more = rest.length
      ? ` (also: ${rest.map((i) => ['senders', ...i.path.map(String)].join('.') + ': ' + i.message).join('; ')})`
      : '';
    throw new ConfigError(field, first.message + more);
  }
  return parsed.data;
}

export function buildSenders(section: unknown, deps: SenderDeps): SenderSet {
  const cfg = parseSendersSection(section);
  const names = new Set<string>();
  const unique = (wanted: string | undefined, type: string, channel: string, i: number): string => {
    const n = wanted ?? (names.has(type) ? `${type}-${i + 1}` : type);
    if (names.has(n)) throw new ConfigError(`senders.${channel}.${i}.name`, `"${n}" is used twice; give each sender its own name`);
    names.add(n);
    return n;
  };
  const sms: Sender[] = cfg.sms.map((c, i) => {
    const name = unique(c.name, c.type === 'http' ? 'http-sms' : 'smpp', 'sms', i);
    return c.type === 'http' ? new HttpSmsSender(name, c, deps.clock) : new SmppSender(name, c, deps);
  });
  const push: Sender[] = cfg.push.map((c, i) => {
    if (c.type === 'ntfy') return new NtfySender(unique(c.name, 'ntfy', 'push', i), c, deps.clock);
    if (c.type === 'telegram') return new TelegramSender(unique(c.name, 'telegram', 'push', i), c, deps.clock);
    return new HttpPushSender(unique(c.name, 'http-push', 'push', i), c, deps.clock);
  });
  const all = [...sms, ...push].map((s) => new OutcomeTrackingSender(s));
  return {
    sms: all.filter((s) => s.kind === 'sms'),
    push: all.filter((s) => s.kind === 'push'),
    byName: (n) => all.find((s) => s.name === n),
    forRecipient: (kind, to) => all.filter((s) => s.kind === kind && s.accepts(to)),
    all: () => [...all],
    close: async () => {
      await Promise.all(all.map((s) => s.close?.()));
    },
  };
}
