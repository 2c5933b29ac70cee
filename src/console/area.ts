/** One section of the console: its routes (mounted under `path`) and any script or style it adds. */
import type { RouterT } from '../http/express';

export interface ConsoleArea {
  path: string;
  router: RouterT;
  script?: string;
  css?: string;
}
