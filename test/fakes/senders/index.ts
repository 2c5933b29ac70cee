/** Loopback fakes of the services senders talk to; reused by end-to-end tests. */
export { HttpFake } from './http-fake';
export type { RecordedRequest, Scripted, Answer } from './http-fake';
export { FakeSmsGateway } from './fake-sms-gateway';
export { FakeNtfy } from './fake-ntfy';
export type { NtfyMessage } from './fake-ntfy';
export { FakeTelegram } from './fake-telegram';
export type { TelegramMessage } from './fake-telegram';
export { FakeSmsc } from './fake-smsc';
export type { SmscSubmit, SmscMessage, FakeSmscOptions } from './fake-smsc';
