/** The SMS leg of verification: one text through the first SMS sender that has an address for the person. */
import { AppError, errorMessage } from '../core/errors';
import type { User } from '../directory/user';
import type { Recipient, SenderSet } from '../senders';

export type SmsRoute = Pick<SenderSet, 'forRecipient'>;

/** Gateways get their own timeouts from config; this cap only keeps a hung one from holding `users verify`. */
const SEND_CAP_MS = 30_000;

export function smsRecipient(user: User): Recipient {
  return { phone: user.phone, contacts: user.contacts, email: user.email, name: user.name };
}

export function verificationText(code: string, link: string, lang: User['lang']): string {
  if (lang === 'ru') return `dozvon: ваш код подтверждения ${code}. Или откройте ${link}`;
  return `dozvon: your verification code is ${code}. Or open ${link}`;
}

export async function sendCodeBySms(route: SmsRoute, user: User, code: string, link: string, signal?: AbortSignal): Promise<void> {
  const to = smsRecipient(user);
  const sender = route.forRecipient('sms', to)[0];
  if (!sender) throw new AppError('verify-no-sms-sender', `no SMS sender accepts ${user.email}'s number; verify by call instead`);
  const cap = AbortSignal.timeout(SEND_CAP_MS);
  try {
    // No ackUrl: senders would append "Ack: …", and this text already carries its own link.
    await sender.send(
      { to, text: verificationText(code, link, user.lang), priority: 'high' },
      signal ? AbortSignal.any([signal, cap]) : cap,
    );
  } catch (e) {
    const temporary = e instanceof AppError ? e.temporary : true;
    const kind = temporary ? 'temporary error, try again later' : 'permanent error, check the number and the sender';
    throw new AppError('verify-sms-failed', `SMS via ${sender.name} failed (${kind}): ${errorMessage(e)}`, { temporary, cause: e });
  }
}
