/**
 * The simplest plan: `user` responders, named by username (= e-mail in the directory), are all
 * paged at once. Teams, escalations and schedules are left unresolved (and recorded on the
 * alert) until the teams module plans them.
 */
import type { PlanStep, Responder, ResponderPlan, ResponderResolver } from './responders';

export interface DirectoryLookup {
  getByEmail(email: string): Promise<{ id: number; email: string } | null>;
}

export class DirectResolver implements ResponderResolver {
  constructor(private readonly users: DirectoryLookup) {}

  async plan(responders: Responder[], defaultTeam: string | null): Promise<ResponderPlan> {
    const ids: number[] = [];
    const names: string[] = [];
    const unresolved: string[] = [];
    for (const r of responders) {
      const name = r.username ?? r.name ?? r.id ?? '';
      const user = r.type === 'user' && name ? await this.users.getByEmail(name) : null;
      if (!user) {
        unresolved.push(`${r.type} ${name}`.trim());
        continue;
      }
      if (!ids.includes(user.id)) {
        ids.push(user.id);
        names.push(user.email);
      }
    }
    if (responders.length === 0 && defaultTeam) unresolved.push(`team ${defaultTeam}`);
    const steps: PlanStep[] = ids.length ? [{ afterMs: 0, userIds: ids, label: names.join(', ') }] : [];
    return { steps, teamId: defaultTeam, unresolved };
  }
}
