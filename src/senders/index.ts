/** Public face of the senders module: the interface, the config schema and the builder. */
export type { Sender, SenderKind, OutboundMessage, Recipient, Receipt, SenderHealth, DeliveryReport, Priority } from './types';
export { PRIORITIES } from './types';
export { sendersSchema } from './config';
export type { SendersSection } from './config';
export { buildSenders, parseSendersSection } from './build';
export type { SenderDeps, SenderSet } from './build';
export { HttpSmsSender } from './http-sms';
export { HttpPushSender } from './http-push';
export { NtfySender } from './ntfy';
export { TelegramSender } from './telegram';
export { SmppSender } from './smpp';
