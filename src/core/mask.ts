/** Masking for logs and views: never a whole phone number or address. */

/** "+79161234567" → "+7916***67"; short extensions keep their first digit only. */
export function maskPhone(phone: string | null | undefined): string {
  if (!phone) return '';
  const s = String(phone);
  if (s.length <= 4) return s.slice(0, 1) + '*'.repeat(Math.max(0, s.length - 1));
  const keepHead = Math.min(5, Math.floor(s.length / 2) - 1);
  return s.slice(0, keepHead) + '*'.repeat(s.length - keepHead - 2) + s.slice(-2);
}

/** "alice.smith@example.com" → "a***h@example.com" */
export function maskEmail(email: string | null | undefined): string {
  if (!email) return '';
  const at = email.lastIndexOf('@');
  if (at <= 0) return maskPhone(email);
  const local = email.slice(0, at);
  const head = local.slice(0, 1);
  const tail = local.length > 2 ? local.slice(-1) : '';
  return `${head}***${tail}${email.slice(at)}`;
}

/**
 * A secret as views and `dozvon config` show it: only whether it is set. Any prefix or length
 * narrows a guess (a 6-character password with two characters and its length shown is nearly
 * given away), and knowing a token is set is all an operator needs to read from a screen.
 */
export function maskSecret(secret: string | null | undefined): string {
  return secret ? 'set (hidden)' : '';
}

/** A comma-separated list of secrets (several tokens accepted at once): how many are set, nothing more. */
export function maskSecretList(list: string | null | undefined): string {
  const n = (list ?? '').split(',').filter((s) => s !== '').length;
  return n === 0 ? '' : n === 1 ? maskSecret(list) : `${n} set (hidden)`;
}
