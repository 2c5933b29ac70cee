/** PLACEHOLDER: replaced by the settings area. */
import { Router } from '../../http/express';
import type { ConsoleArea } from '../area';
import type { ConsoleDeps } from '../deps';

export function settingsArea(_deps: ConsoleDeps): ConsoleArea {
  return { path: '/settings', router: Router() };
}
