/** GET api/v1/info/: OnCall's connection check. Only the 200 and `url` are read. */
import { Router, RouterT } from '../http/express';
import type { CloudDeps } from './deps';

export function infoRouter(deps: Pick<CloudDeps, 'config'>): RouterT {
  const r = Router({ strict: false });
  r.get('/api/v1/info', (_req, res) => {
    res.status(200).json({ url: deps.config.publicUrl });
  });
  return r;
}
