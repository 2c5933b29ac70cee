/** PLACEHOLDER: replaced by the heartbeats area. */
import { Router } from '../../http/express';
import type { ConsoleArea } from '../area';
import type { ConsoleDeps } from '../deps';

export function heartbeatsArea(_deps: ConsoleDeps): ConsoleArea {
  return { path: '/heartbeats', router: Router() };
}
