/** PLACEHOLDER: replaced by the pages area. */
import { Router } from '../../http/express';
import type { ConsoleArea } from '../area';
import type { ConsoleDeps } from '../deps';

export function pagesArea(_deps: ConsoleDeps): ConsoleArea {
  return { path: '/pages', router: Router() };
}
