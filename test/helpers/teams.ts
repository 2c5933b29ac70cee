/** A small directory and a Teams service over a test database, for the teams tests. */
import type { Db } from '../../src/db/knex';
import { AuditRepo } from '../../src/audit';
import { People } from '../../src/directory/people-service';
import { Teams } from '../../src/teams/service';
import { BreakableAudit } from './breakable-audit';

export const ALICE = 'alice@example.com';
export const BOB = 'bob@example.com';
export const CAROL = 'carol@example.com';

export async function teamsOver(
  db: Db,
  now: () => number = Date.now,
): Promise<{ teams: Teams; audit: BreakableAudit; ids: Record<string, number> }> {
  const audit = new BreakableAudit(new AuditRepo(db, Date.now));
  const people = new People({ db, audit, defaultLang: 'en' });
  const ids: Record<string, number> = {};
  for (const [i, email] of [ALICE, BOB, CAROL].entries()) {
    ids[email] = (await people.create('test', { email, name: email.split('@')[0], phone: `+1555000000${i}` })).id;
  }
  return { teams: new Teams({ db, audit, now }), audit, ids };
}
