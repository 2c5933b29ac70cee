/** What the Opsgenie alert API needs, passed in by the composition root. */
import type { Logger } from '../core/log';
import type { AlertsService } from '../alerts/service';
import type { KeyDoor } from './doors';

export interface AlertApiDeps {
  service: AlertsService;
  door: KeyDoor;
  /** Integration names by id, for the alert objects' `integration.name`. */
  integrationNames(): Promise<Map<string, string>>;
  /** For the list's paging links. */
  publicUrl: string;
  logger: Logger;
}
