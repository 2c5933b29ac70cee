/**
 * Phone numbers: E.164 (+ and 8–15 digits) or a plain internal extension (2–8 digits).
 * Stored normalised so that nothing but digits and one leading + can ever reach a dial string.
 */
import { ValidationError } from '../core/errors';

export function normalisePhone(input: string): string {
  const raw = String(input).trim();
  if (raw === '') throw new ValidationError('phone number is empty', 'phone');
  if (raw.length > 40) throw new ValidationError('phone number is too long', 'phone');
  // People write numbers with spaces, dashes, dots and brackets; nothing else is tolerated.
  if (!/^\+?[0-9 ().-]+$/.test(raw))
    throw new ValidationError(
      `phone number "${raw.slice(0, 40)}" has characters other than digits, spaces, dashes, dots, brackets and a leading +`,
      'phone',
    );
  const plus = raw.startsWith('+');
  const digits = raw.replace(/[^0-9]/g, '');
  if (plus) {
    if (digits.length < 8 || digits.length > 15 || digits.startsWith('0'))
      throw new ValidationError('an international number needs + and 8 to 15 digits, not starting with 0 (E.164)', 'phone');
    return '+' + digits;
  }
  if (digits.length >= 2 && digits.length <= 8) return digits;
  if (digits.length >= 9 && digits.length <= 15)
    throw new ValidationError('write long numbers in international form with a leading + (E.164)', 'phone');
  throw new ValidationError('phone number must be E.164 (+ and 8 to 15 digits) or an extension of 2 to 8 digits', 'phone');
}
