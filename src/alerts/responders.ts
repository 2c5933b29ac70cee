/**
 * The seam between alerts and teams: an alert names its responders the way Opsgenie's API does
 * (a user, a team, an escalation or a schedule), and the teams side turns them into a plan of who
 * is called when. Alerts run the plan (and stop it on acknowledgement); teams own the rotations,
 * overrides and escalation policies that decide it.
 */

/** A responder as the Opsgenie Alert API names it: by id or by name (username for a user). */
export interface Responder {
  type: 'user' | 'team' | 'escalation' | 'schedule';
  id?: string;
  name?: string;
  username?: string;
}

/** One step of a plan: `afterMs` after the alert was created, notify these people (directory user ids). */
export interface PlanStep {
  afterMs: number;
  userIds: number[];
  /** What the step is, for the alert's timeline: "on call of Database (primary)", "team Database", "alice@example.com". */
  label: string;
}

export interface ResponderPlan {
  /** In time order; repeats of an escalation policy are already unrolled. Empty: nobody to call. */
  steps: PlanStep[];
  /** The team the alert belongs to (shown and used by "hand it to another member"), null when none. */
  teamId: string | null;
  /** Responders that matched nothing, to be recorded on the alert rather than silently dropped. */
  unresolved: string[];
}

export interface ResponderResolver {
  /** `defaultTeam`: the integration's team, used when the alert names no responder. `at`: epoch ms the alert was created. */
  plan(responders: Responder[], defaultTeam: string | null, at: number): Promise<ResponderPlan>;
}
