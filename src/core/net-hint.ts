/**
 * "fetch failed" tells an operator nothing. These turn a failed outside call into the reason
 * and what to look at: connection refused, a name that does not resolve, no answer, TLS.
 */

/** The system error code behind a fetch failure (undici puts it on `cause`), if any. */
export function netErrorCode(e: unknown): string | null {
  for (let cur = e as { code?: unknown; cause?: unknown } | undefined, i = 0; cur && i < 4; cur = cur.cause as typeof cur, i++) {
    if (typeof cur.code === 'string' && /^[A-Z_]+$/.test(cur.code)) return cur.code;
  }
  return null;
}

const HINTS: Record<string, string> = {
  ECONNREFUSED: 'connection refused: nothing listens at that address and port (is it running? is the port right?)',
  ENOTFOUND: 'DNS: the host name does not resolve (check the URL for a typo, or the DNS of this host)',
  EAI_AGAIN: 'DNS: the name server did not answer (temporary DNS failure on this host)',
  ETIMEDOUT: 'no answer: a firewall or a wrong address',
  UND_ERR_CONNECT_TIMEOUT: 'no answer: a firewall or a wrong address',
  ECONNRESET: 'the connection was reset: a proxy, or a TLS/plain-HTTP mismatch',
  EHOSTUNREACH: 'host unreachable: routing or firewall',
  ENETUNREACH: 'network unreachable from this host',
  DEPTH_ZERO_SELF_SIGNED_CERT: 'TLS: self-signed certificate',
  CERT_HAS_EXPIRED: 'TLS: the certificate has expired',
  ERR_TLS_CERT_ALTNAME_INVALID: 'TLS: the certificate is for another name',
};

/** One line: the reason with a hint when the code is known, else the error's own message. */
export function describeNetError(e: unknown): string {
  const code = netErrorCode(e);
  if (code && HINTS[code]) return HINTS[code];
  const message = e instanceof Error ? e.message : String(e);
  if ((e as Error)?.name === 'TimeoutError' || /aborted due to timeout/.test(message))
    return 'no answer in time: a firewall, a wrong address, or an overloaded server';
  if (code) return `${message} (${code})`;
  // undici says only "fetch failed"; the reason is on its cause (e.g. "bad port" for a port fetch refuses to use).
  const cause = (e as { cause?: { message?: unknown } })?.cause?.message;
  return typeof cause === 'string' && cause && cause !== message ? `${message}: ${cause}` : message;
}

/** The hint for an HTTP status an outside service answered with, naming the setting to check. */
export function httpStatusHint(status: number, credentials: string): string {
  if (status === 401) return `answered 401: wrong credentials (check ${credentials})`;
  if (status === 403) return `answered 403: the credentials are valid but not allowed (check ${credentials} and its permissions)`;
  if (status === 404) return 'answered 404: wrong URL path (check the base URL)';
  return `answered HTTP ${status}`;
}
