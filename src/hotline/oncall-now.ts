/**
 * Whom digit 9 rings, in order: the engineers on call now in the configured schedule (else the
 * escalation default target's people), then the hunt list. Only directory users with a phone can
 * be rung; OnCall being down leaves just the hunt list.
 */
import type { Clock } from '../core/clock';
import { errorMessage } from '../core/errors';
import type { Logger } from '../core/log';
import { maskEmail } from '../core/mask';
import type { PageTarget } from '../oncall/config';
import type { UsersRepo } from '../directory/users-repo';
import type { Lang, User } from '../directory/user';
import type { OnCallClient } from '../oncall/index';
import { resolveTarget } from '../oncall/targets';

export interface Candidate {
  name: string;
  email: string;
  phone: string;
  lang: Lang;
}

export interface OnCallFinderOptions {
  client: OnCallClient | null;
  users: Pick<UsersRepo, 'getByEmail'>;
  /** hotline.schedule: a schedule pk or exact name. */
  schedule?: string;
  /** escalation.default: used when no schedule is configured. */
  fallback?: PageTarget;
  hunt: readonly string[];
  clock: Clock;
  logger: Logger;
  /** Budget for the OnCall reads; default 4000. */
  timeoutMs?: number;
}

const SCHEDULE_PK = /^S[A-NP-Z1-9]{12,16}$/;

export class OnCallFinder {
  private readonly log: Logger;

  constructor(private readonly o: OnCallFinderOptions) {
    this.log = o.logger.child({ mod: 'hotline-oncall-now' });
  }

  async find(signal?: AbortSignal): Promise<Candidate[]> {
    const emails = [...(await this.onCallEmails(signal)), ...this.o.hunt];
    const seen = new Set<string>();
    const out: Candidate[] = [];
    for (const email of emails) {
      const key = email.trim().toLowerCase();
      if (seen.has(key)) continue;
      seen.add(key);
      const u = await this.o.users.getByEmail(key);
      if (u && u.phone) out.push(candidate(u, u.phone));
      else this.log.warn({ email: maskEmail(email) }, 'on-call engineer has no phone in the directory: skipped');
    }
    return out;
  }

  /** Never rejects: OnCall trouble leaves the list to the hunt. */
  private async onCallEmails(outer?: AbortSignal): Promise<string[]> {
    const client = this.o.client;
    if (!client || (!this.o.schedule && !this.o.fallback)) return [];
    const ctl = new AbortController();
    const timer = this.o.clock.setTimeout(() => ctl.abort(new Error('OnCall read deadline')), this.o.timeoutMs ?? 4000);
    const onAbort = () => ctl.abort(outer?.reason);
    outer?.addEventListener('abort', onAbort, { once: true });
    const opts = { signal: ctl.signal, retries: 0 };
    try {
      if (this.o.schedule) {
        const s = this.o.schedule;
        const sched = SCHEDULE_PK.test(s) ? await client.getSchedule(s, opts) : (await client.listSchedules({ name: s }, opts))[0];
        if (!sched) throw new Error(`schedule "${s}" not found in OnCall`);
        const users = await Promise.all(sched.on_call_now.map((id) => client.getUser(id, opts)));
        return users.map((u) => u.email);
      }
      const target = await resolveTarget(this.o.fallback!, { client, signal: ctl.signal });
      return target.users.map((u) => u.email);
    } catch (err) {
      this.log.warn({ err: errorMessage(err) }, 'could not read who is on call; using the hunt list');
      return [];
    } finally {
      timer.cancel();
      outer?.removeEventListener('abort', onAbort);
    }
  }
}

function candidate(u: User, phone: string): Candidate {
  return { name: u.name, email: u.email, phone, lang: u.lang };
}
