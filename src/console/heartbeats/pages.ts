/** The page-rendering seam between the heartbeat routes and their actions, apart so neither imports the other. */
import type { Request, Response } from '../../http/express';
import type { Heartbeat } from '../../watchers/heartbeats';
import type { ConsoleDeps } from '../deps';
import type { FormValues, FormErrors } from './form';
import type { Html } from '../../web/html';

/** Rendering shared by the GET routes and the POST routes that answer with a page (400, 409). */
export interface HeartbeatPages {
  people(): Promise<Awaited<ReturnType<ConsoleDeps['users']['list']>>['users']>;
  defaults(): readonly string[];
  declared(name: string): boolean;
  /** The heartbeat the route names, or null after answering 404. */
  named(req: Request, res: Response): Promise<Heartbeat | null>;
  sendNew(res: Response, values: FormValues, errors: FormErrors, status: number): Promise<void>;
  sendEdit(res: Response, hb: Heartbeat, values: FormValues, errors: FormErrors, status: number): Promise<void>;
  sendDetail(req: Request, res: Response, hb: Heartbeat, flash: Html | null, status: number): Promise<void>;
}
