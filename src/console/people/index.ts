/** PLACEHOLDER: replaced by the people area. */
import { Router } from '../../http/express';
import type { ConsoleArea } from '../area';
import type { ConsoleDeps } from '../deps';

export function peopleArea(_deps: ConsoleDeps): ConsoleArea {
  return { path: '/people', router: Router() };
}
