/**
 * Which origin is ours. A browser's POST carries Origin; one from another site is refused before
 * anything is read. Ours is the public URL's origin (a proxy may rewrite Host) or the origin the
 * request itself came to (direct access). Scheme counts: http://host is not https://host.
 */
import type { Request } from '../http/express';

export function fromOurOrigin(req: Request, publicUrl: string | undefined): boolean {
  const origin = req.get('origin');
  if (!origin) return true; // curl and scripts; the CSRF token still guards session posts
  if (origin === 'null') return false;
  let given: string;
  try {
    given = new URL(origin).origin;
  } catch {
    return false;
  }
  return given === originOf(publicUrl) || given === originOf(`${req.protocol}://${req.get('host') ?? ''}`);
}

function originOf(url: string | undefined): string | null {
  if (!url) return null;
  try {
    return new URL(url).origin;
  } catch {
    return null;
  }
}

/** The cookie path for the public URL: its path prefix ("/oncall/"), or "/" at the root. */
export function cookiePath(publicUrl: string | undefined): string {
  if (!publicUrl) return '/';
  try {
    const p = new URL(publicUrl).pathname.replace(/\/+$/, '');
    return `${p}/`;
  } catch {
    return '/';
  }
}
