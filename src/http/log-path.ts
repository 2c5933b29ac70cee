/**
 * The path as it goes into a log line. Secrets travel in some paths (acknowledge and verification
 * links, voicemail and media names, heartbeat links and ping keys), so each route that carries one
 * names its secret segment here, and that segment is logged as the route's parameter name
 * (`/ack/:token`) whatever it looks like. Emails are masked. The public URL's path prefix is kept.
 */
import { maskEmail } from '../core/mask';

/** A route with a secret segment: the literal segments before it, then the parameter's name. */
interface SecretRoute {
  before: readonly (string | null)[];
  name: string;
  /** Not when the segment after `before` is one of these (public sub-routes). */
  except?: readonly string[];
}

const SECRET_ROUTES: readonly SecretRoute[] = [
  { before: ['ack'], name: ':token' },
  { before: ['verify'], name: ':token' },
  { before: ['hotline', 'messages'], name: ':token' },
  { before: ['media'], name: ':name', except: ['prompts'] },
  // /ping/<key>/<name> and /ping/<name>: the first segment may be the key, so it is never logged.
  { before: ['ping'], name: ':key' },
  // null matches any one segment (the integration type).
  { before: ['integrations', 'v1', null], name: ':token' },
];

/** `path` is the path below the public URL's prefix, undecoded, starting with "/". */
export function maskPath(path: string): string {
  const segs = path.split('/');
  // segs[0] is '' (the leading slash); route segments start at 1.
  for (const r of SECRET_ROUTES) {
    const at = r.before.length + 1;
    if (segs.length <= at) continue;
    if (!r.before.every((s, i) => s === null || segs[i + 1] === s)) continue;
    if (r.except?.includes(segs[at])) continue;
    segs[at] = r.name;
  }
  return segs.map((seg) => (safeDecode(seg).includes('@') ? maskEmail(safeDecode(seg)) : seg)).join('/');
}

/** The request's full path (mount prefix included, query excluded) with secrets masked; `base` is the public URL's path prefix without its trailing slash. */
export function loggedPath(req: { originalUrl?: string; url?: string }, base = ''): string {
  const raw = (req.originalUrl || req.url || '/').split('?')[0];
  if (base && (raw === base || raw.startsWith(`${base}/`))) return base + maskPath(raw.slice(base.length) || '/');
  return maskPath(raw);
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}
