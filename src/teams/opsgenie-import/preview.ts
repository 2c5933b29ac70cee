/** The plan in words, for the CLI (and --json as the plan itself). */
import type { ImportPlan } from './plan';

const tz = (ms: number) => new Date(ms).toISOString().replace(':00.000Z', 'Z');

export function previewLines(p: ImportPlan): string[] {
  const out: string[] = [];
  const created = p.people.filter((x) => x.status === 'create');
  out.push(`people: ${created.length} to create, ${p.people.length - created.length} already here`);
  for (const x of created) out.push(`  + ${x.email} (${x.name})`);
  if (created.length) out.push('  (created without a phone number: add one before they can be called)');
  out.push(`teams: ${p.teams.length}`);
  for (const t of p.teams)
    out.push(
      `  ${t.status === 'create' ? '+' : '~'} ${t.name}: ${t.members.map((m) => `${m.email}${m.role === 'admin' ? ' (admin)' : ''}`).join(', ') || 'no members'}`,
    );
  out.push(`schedules: ${p.schedules.length}`);
  for (const s of p.schedules) {
    out.push(
      `  ${s.status === 'create' ? '+' : '~'} ${s.name} (${s.timeZone}${s.team ? `, team ${s.team}` : ''}${s.enabled ? '' : ', disabled'})`,
    );
    for (const r of s.rotations) {
      const limits = r.restrictions?.length ? `, ${r.restrictions.length} restriction(s)` : '';
      out.push(`      rotation ${r.name}: every ${r.length} ${r.unit} from ${tz(r.startsAt)}, ${r.participants.join(' → ')}${limits}`);
    }
    for (const o of s.overrides)
      out.push(`      override ${o.user} ${tz(o.startsAt)} – ${tz(o.endsAt)}${o.rotation ? ` (${o.rotation})` : ''}`);
  }
  out.push(`escalation policies: ${p.policies.length}`);
  for (const e of p.policies) {
    const steps = e.steps.map(
      (s) => `${s.afterMinutes} min: ${s.target.kind === 'user' ? s.target.email : `${s.target.kind} ${s.target.name}`}`,
    );
    out.push(
      `  ${e.status === 'create' ? '+' : '~'} ${e.name}${e.team ? ` (team ${e.team})` : ''}: ${steps.join('; ')}${e.repeat ? `; repeat ${e.repeat}×` : ''}`,
    );
  }
  out.push(p.unsupported.length ? `not imported (${p.unsupported.length}):` : 'not imported: nothing');
  for (const u of p.unsupported) out.push(`  - ${u}`);
  out.push('not in these files, so not imported: notification rules, team routing rules, integrations, heartbeats');
  return out;
}
