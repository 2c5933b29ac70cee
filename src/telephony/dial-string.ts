/**
 * Builds the originate endpoint from DOZVON_DIAL_TEMPLATE. The number is the only user-controlled
 * part of a dial string, so it is held to digits with an optional leading +: `&` would dial a second
 * destination, `/` or `@` would change technology or trunk, `,` would smuggle Dial options.
 */
import { AppError } from '../core/errors';

const NUMBER = /^\+?[0-9]{2,15}$/;

export function buildDialString(template: string, number: string): string {
  checkDialable(number);
  if (!template.includes('{number}')) {
    throw new AppError('bad-dial-template', 'dial template must contain {number}', { temporary: false });
  }
  return template.split('{number}').join(number);
}

/** Throws `bad-number` unless the number may go into a dial string; callers check before dialling anything. */
export function checkDialable(number: string): void {
  if (typeof number !== 'string' || !NUMBER.test(number)) {
    throw new AppError('bad-number', 'phone number must be 2 to 15 digits with an optional leading +', { temporary: false });
  }
}
