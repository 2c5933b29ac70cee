/** What a team's page shows, gathered by the router and drawn by pages.ts and editors.ts. */
import type { User } from '../../directory/user';
import type { TeamView } from '../../teams/service';

export interface TeamPage {
  view: TeamView;
  people: User[];
  nameOf: (id: number) => string;
  onCall: Map<string, { now: User[]; next: { at: number; users: User[] } | null }>;
  feeds: Map<string, string>;
  names: { schedules: Map<string, string>; teams: Map<string, string> };
  /** The integration keys that send alerts to this team; null when the console runs without alerts. */
  keys: KeyRow[] | null;
}

export interface KeyRow {
  name: string;
  /** Already masked: the key itself is never kept. */
  masked: string;
  /** Null: the key's default team; otherwise the routing rule, as `tag:disk`. */
  rule: string | null;
}
