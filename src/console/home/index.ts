/** PLACEHOLDER: replaced by the home area. */
import { Router } from '../../http/express';
import type { ConsoleArea } from '../area';
import type { ConsoleDeps } from '../deps';

export function homeArea(_deps: ConsoleDeps): ConsoleArea {
  return { path: '/', router: Router() };
}
