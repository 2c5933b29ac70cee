/**
 * Reading fields the way DRF does for OnCall's form or JSON bodies, with DRF's error texts,
 * so the engine sees the same {"field": ["msg"]} shapes the cloud gave.
 */
export type FieldErrors = Record<string, string[]>;

export function bodyObject(body: unknown): Record<string, unknown> {
  return body !== null && typeof body === 'object' && !Array.isArray(body) ? (body as Record<string, unknown>) : {};
}

/** A required string field; arrays (a repeated form key) and objects are invalid. */
export function stringField(
  body: Record<string, unknown>,
  name: string,
  errors: FieldErrors,
  opts: { max?: number; required?: boolean } = {},
): string | undefined {
  const v = body[name];
  if (v === undefined || v === null) {
    if (opts.required !== false) errors[name] = ['This field is required.'];
    return undefined;
  }
  if (typeof v !== 'string' && typeof v !== 'number') {
    errors[name] = ['Not a valid string.'];
    return undefined;
  }
  const s = String(v);
  if (opts.required !== false && s.trim() === '') {
    errors[name] = ['This field may not be blank.'];
    return undefined;
  }
  if (opts.max !== undefined && s.length > opts.max) {
    errors[name] = [`Ensure this field has no more than ${opts.max} characters.`];
    return undefined;
  }
  if (s.includes('\u0000')) {
    errors[name] = ['Null characters are not allowed.'];
    return undefined;
  }
  return s;
}

// Django's EmailValidator in spirit: one @, a dotted domain, no whitespace or quotes.
const EMAIL_RE = /^[^\s@"<>(),;:\\[\]]{1,64}@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}$/;

export function emailField(body: Record<string, unknown>, errors: FieldErrors): string | undefined {
  const s = stringField(body, 'email', errors, { max: 254 });
  if (s === undefined) return undefined;
  const e = s.trim();
  if (!EMAIL_RE.test(e)) {
    errors.email = ['Enter a valid email address.'];
    return undefined;
  }
  return e;
}

export function hasErrors(errors: FieldErrors): boolean {
  return Object.keys(errors).length > 0;
}
