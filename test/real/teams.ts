/**
 * A team set up the way an operator does it, against the running dozvon's database: people,
 * the team `dba`, its schedule with a daily rotation (Alice's shift now, Bob's next), the
 * escalation policy (the schedule's on-call at once, then Bob), and an integration key for it.
 */
import { Writable } from 'node:stream';
import { expect } from 'chai';
import { DateTime } from 'luxon';
import { runCli } from '../../src/cli/program';
import type { RealWorld } from './world';

export const TEAM = 'dba';
export const SCHEDULE = 'dba-primary';
export const POLICY = 'dba-escalation';
export const BOB_PHONE = '15550002222';
export const CAROL_PHONE = '15550003333';

/** In these stories a policy minute lasts a second (the world's `policyMinuteMs`). */
export const POLICY_MINUTE_MS = 1000;

/** `dozvon <args>` as typed on the server, against the world's database; what it printed. */
export async function dozvon(w: RealWorld, ...args: string[]): Promise<string> {
  const db = w.app.config.db;
  if (db.client !== 'sqlite') throw new Error('the real stories run on SQLite');
  let out = '';
  let err = '';
  const sink = (add: (s: string) => void) => new Writable({ write: (c, _e, cb) => (add(String(c)), cb()) });
  const code = await runCli(args, {
    env: { DOZVON_DB: `sqlite:${db.filename}`, DOZVON_TTS: 'none' },
    stdout: sink((s) => (out += s)),
    stderr: sink((s) => (err += s)),
  });
  expect(code, `dozvon ${args.join(' ')}: ${err}`).to.equal(0);
  return out;
}

/** An ISO time `ms` from now, to the minute, as an operator types it. */
const at = (ms: number) => DateTime.fromMillis(Date.now() + ms, { zone: 'UTC' }).toFormat("yyyy-LL-dd'T'HH:mm'Z'");

/**
 * Carol joins the directory (Alice and Bob are already in it); the team, its schedule and its
 * rotation, through the CLI; `dozvon oncall` agrees that Alice is on call now and Bob next.
 */
export async function setUpTeam(w: RealWorld): Promise<void> {
  await dozvon(w, 'users', 'add', '--email', 'carol@example.com', '--name', 'Carol White', '--phone', `+${CAROL_PHONE}`, '--lang', 'en');
  await dozvon(w, 'teams', 'add', TEAM, '--description', 'the databases');
  for (const who of ['alice', 'bob', 'carol']) await dozvon(w, 'teams', 'member', TEAM, `${who}@example.com`);
  await dozvon(w, 'teams', 'schedule', SCHEDULE, '--tz', 'Europe/Berlin', '--team', TEAM);
  // Alice's shift began an hour ago and lasts a day; Bob's is next.
  await dozvon(
    w,
    'teams',
    'rotation',
    SCHEDULE,
    'daily',
    '--people',
    'alice@example.com,bob@example.com',
    '--start',
    at(-3_600_000),
    '--every',
    '1d',
  );
  const on = JSON.parse(await dozvon(w, '--json', 'oncall', TEAM)) as { schedules: { now: string[]; next: { people: string[] } }[] };
  expect(
    on.schedules.map((s) => [s.now, s.next.people]),
    'who is on call, and next',
  ).to.deep.equal([[['alice@example.com'], ['bob@example.com']]]);
}

/**
 * The team's escalation policy, through `dozvon teams policy` as an operator writes it: the
 * schedule's on-call at once, Bob `bobAfterMinutes` later, and the whole policy once more
 * `repeatAfterMinutes` after Bob's step, so a story can show that a closed alert never gets
 * there. Then the integration key Alertmanager sends with; the team is its default.
 */
export async function setUpPolicy(w: RealWorld, o: { bobAfterMinutes: number; repeatAfterMinutes: number }): Promise<{ key: string }> {
  await dozvon(
    w,
    'teams',
    'policy',
    TEAM,
    POLICY,
    '--step',
    `0:schedule:${SCHEDULE}`,
    '--step',
    `${o.bobAfterMinutes}:user:bob@example.com`,
    '--repeat',
    '1',
    '--repeat-after',
    String(o.repeatAfterMinutes),
  );
  const added = JSON.parse(await dozvon(w, '--json', 'integrations', 'add', 'alertmanager', '--team', TEAM)) as { key: string };
  return { key: added.key };
}

/** "I take tonight": Carol is on call from a few minutes ago until twelve hours from now. */
export async function carolTakesTonight(w: RealWorld): Promise<void> {
  await dozvon(w, 'teams', 'override', SCHEDULE, 'carol@example.com', '--from', at(-5 * 60_000), '--to', at(12 * 3_600_000));
  const on = JSON.parse(await dozvon(w, '--json', 'oncall', TEAM)) as { schedules: { now: string[] }[] };
  expect(on.schedules[0].now, 'on call after the override').to.deep.equal(['carol@example.com']);
}
