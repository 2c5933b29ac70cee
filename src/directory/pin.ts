/** PINs are stored as scrypt hashes and compared in constant time. */
import { randomBytes, scrypt as scryptCb, timingSafeEqual } from 'node:crypto';
import { promisify } from 'node:util';
import { ValidationError } from '../core/errors';

const scrypt = promisify(scryptCb) as (pw: string, salt: Buffer, len: number) => Promise<Buffer>;

export function validatePin(pin: string): string {
  const p = String(pin).trim();
  if (!/^[0-9]{4,8}$/.test(p)) throw new ValidationError('PIN must be 4 to 8 digits', 'pin');
  return p;
}

export async function hashPin(pin: string): Promise<string> {
  const salt = randomBytes(16);
  const hash = await scrypt(validatePin(pin), salt, 32);
  return `scrypt$${salt.toString('base64')}$${hash.toString('base64')}`;
}

export async function verifyPin(pin: string, stored: string | null): Promise<boolean> {
  if (!stored) return false;
  const [scheme, saltB64, hashB64] = stored.split('$');
  if (scheme !== 'scrypt' || !saltB64 || !hashB64) return false;
  const expected = Buffer.from(hashB64, 'base64');
  const actual = await scrypt(String(pin), Buffer.from(saltB64, 'base64'), expected.length);
  return timingSafeEqual(actual, expected);
}
