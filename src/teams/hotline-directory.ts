/** The hotline's view of teams: the list to choose from, and who is on call with a phone to ring. */
import type { TeamDirectory } from '../hotline/teams';
import type { Candidate } from '../hotline/oncall-now';
import type { Teams } from './service';

export class TeamsHotlineDirectory implements TeamDirectory {
  constructor(
    private readonly service: Teams,
    private readonly now: () => number,
  ) {}

  async teams(): Promise<{ id: string; name: string }[]> {
    return (await this.service.listTeams()).map((t) => ({ id: t.id, name: t.name }));
  }

  async onCall(teamId: string): Promise<Candidate[]> {
    const people = await this.service.teamOnCall(teamId, this.now());
    // Someone on call without a phone cannot be rung; the others still are.
    return people.flatMap((u) => (u.phone ? [{ name: u.name, email: u.email, phone: u.phone, lang: u.lang }] : []));
  }
}
