/**
 * Which integration keys send alerts to a team: as their default team or through a routing rule.
 * A key names its team as it was typed (a name in any case, or an id), as the alerts side reads it.
 */
import { maskedKey, type Integration } from '../../alerts/integrations';
import type { Team } from '../../teams/model';
import { nameKey } from '../../teams/store';
import type { KeyRow } from './page-data';

export function teamKeys(list: readonly Integration[], team: Team): KeyRow[] {
  const ours = (ref: string | null) => ref !== null && (ref === team.id || nameKey(ref) === nameKey(team.name));
  const rows: KeyRow[] = [];
  for (const k of list) {
    if (k.revokedAt !== null) continue;
    const masked = maskedKey(k.keyHint);
    if (ours(k.defaultTeam)) rows.push({ name: k.name, masked, rule: null });
    for (const r of k.rules) if (ours(r.team)) rows.push({ name: k.name, masked, rule: `${r.field}:${r.equals}` });
  }
  return rows;
}
