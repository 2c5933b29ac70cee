/** Identifiers in OnCall's public-pk style: prefix + 12 chars from an alphabet without 0 and O. */
import { randomBytes, randomInt } from 'node:crypto';

const PK_ALPHABET = 'ABCDEFGHIJKLMNPQRSTUVWXYZ123456789';
const TOKEN_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

function pick(alphabet: string, n: number): string {
  let s = '';
  for (let i = 0; i < n; i++) s += alphabet[randomInt(alphabet.length)];
  return s;
}

export function publicId(prefix: string): string {
  return prefix + pick(PK_ALPHABET, 12);
}

/** 25 random alphanumerics, like OnCall's integration tokens (~149 bits). */
export function linkToken(): string {
  return pick(TOKEN_ALPHABET, 25);
}

/** URL-safe random name for media and links. */
export function randomName(bytes = 16): string {
  return randomBytes(bytes).toString('base64url');
}
