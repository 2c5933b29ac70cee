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
