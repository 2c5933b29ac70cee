/**
 * One GET to ARI outside ari-client, for the background questions dozvon asks an Asterisk (are
 * the prompts installed, is a module loaded): the server's base URL with or without /ari, Basic
 * credentials, and a deadline.
 */
export function ariGet(server: string, path: string, creds: { user: string; password: string }, timeoutMs: number): Promise<Response> {
  const base = server.replace(/\/+$/, '').replace(/\/ari$/, '');
  return fetch(`${base}/ari${path}`, {
    headers: { authorization: 'Basic ' + Buffer.from(`${creds.user}:${creds.password}`).toString('base64') },
    signal: AbortSignal.timeout(timeoutMs),
  });
}
