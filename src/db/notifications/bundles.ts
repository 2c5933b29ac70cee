/**
 * The pages of the people a claim chose, at most what their calls can read. A call reads
 * `perPerson` pages: its lead, then the pages that came with the lead (a storm's make_calls in the
 * same seconds), then the rest by due time (queue.ts, arrivedTogetherFirst). So of each person's
 * due pages only these can be read: the lead, the first `perPerson` of the lead's companions and
 * the first `perPerson` of the others, each by due time. The bundle used to read every due page
 * of the person: with a backlog of 23 562 pages for one person (a long bench:cloud) each claim
 * held the writer for 620 ms to keep five of them.
 */
import type { Tx } from '../knex';
import type { Row } from './types';

/** Pages received this close before the lead came together with it. */
export const TOGETHER_MS = 2_000;

type Due = () => ReturnType<Tx>;

/**
 * Every row that can be in the chosen people's bundles and in the chosen orphan pages, by due
 * time. `due` is the claim's "claimable" query on `notifications`; `lead` maps a person to their
 * lead page. On PostgreSQL the rows are then read again, locked (FOR UPDATE cannot go with a
 * window function): a row another claimer locked or took meanwhile is skipped.
 */
export async function bundleRows(
  tx: Tx,
  due: Due,
  lead: Map<number, number>,
  orphans: number[],
  perPerson: number,
  pg: boolean,
): Promise<Row[]> {
  const rows: Row[] = [];
  if (lead.size) {
    const leads = tx('notifications as l')
      .whereIn('l.id', [...lead.values()])
      .select('l.id as lead_id', 'l.user_id as lead_user', 'l.received_at as lead_at');
    const companion = `case when notifications.attempts = 0 and notifications.id < l.lead_id and notifications.received_at >= l.lead_at - ${TOGETHER_MS} then 1 else 0 end`;
    const marked = due()
      .join(leads.as('l'), 'l.lead_user', 'notifications.user_id')
      .select('notifications.*', 'l.lead_id', tx.raw(`${companion} as companion`));
    const ranked = tx
      .from(marked.as('m'))
      .select('m.*', tx.raw('row_number() over (partition by m.user_id, m.companion order by m.next_attempt_at, m.id) as bundle_rank'));
    const kept = (await tx
      .from(ranked.as('r'))
      .where('r.bundle_rank', '<=', perPerson)
      .orWhereRaw('r.id = r.lead_id')
      .select('r.*')) as (Row & { lead_id?: unknown; companion?: unknown; bundle_rank?: unknown })[];
    for (const r of kept) {
      delete r.lead_id;
      delete r.companion;
      delete r.bundle_rank;
      rows.push(r);
    }
  }
  if (orphans.length) rows.push(...((await due().whereIn('id', orphans).select('*')) as Row[]));
  const ids = rows.map((r) => r.id);
  if (pg) {
    if (!ids.length) return [];
    return (await due().whereIn('id', ids).orderBy('next_attempt_at').orderBy('id').select('*').forUpdate().skipLocked()) as Row[];
  }
  return rows.sort((a, b) => Number(a.next_attempt_at) - Number(b.next_attempt_at) || a.id - b.id);
}
