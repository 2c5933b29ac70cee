/**
 * Operators' changes to heartbeats, whichever front-end they come from (console, CLI, Opsgenie
 * heartbeat API): each goes through the HeartbeatService with its audit entry written in the
 * same transaction, so the log names who made every change, and only changes that were made.
 * The entries say the same thing whoever made the change.
 */
import type { AuditLog } from '../../audit';
import { formatSeconds } from '../duration';
import { emailKey } from '../../directory/users-repo';
import type { Heartbeat, HeartbeatInput, HeartbeatPatch } from './model';
import type { HeartbeatService, PingResult } from './service';
import type { ChangeRecord, HeartbeatChange } from './change';

type Detail = Record<string, unknown>;

export class HeartbeatAdmin {
  constructor(private readonly o: { service: HeartbeatService; audit: AuditLog }) {}

  create(actor: string, input: HeartbeatInput): Promise<Heartbeat> {
    return this.o.service.create(
      input,
      this.record(actor, 'heartbeat.create', ({ after }) => ({ ...settings(after!), period_s: after!.periodS, grace_s: after!.graceS })),
    );
  }

  /** Audited with what changed, field by field; a change that changes nothing is not logged. */
  update(actor: string, name: string, patch: HeartbeatPatch): Promise<Heartbeat> {
    return this.o.service.update(
      name,
      patch,
      this.record(actor, 'heartbeat.update', ({ before, after }) => changes(before!, after!)),
    );
  }

  pause(actor: string, name: string): Promise<Heartbeat> {
    return this.o.service.disable(name, this.record(actor, 'heartbeat.pause', states));
  }

  resume(actor: string, name: string): Promise<Heartbeat> {
    return this.o.service.enable(name, this.record(actor, 'heartbeat.resume', states));
  }

  remove(actor: string, name: string): Promise<void> {
    return this.o.service.delete(
      name,
      this.record(actor, 'heartbeat.remove', ({ before }) => ({ ...settings(before!), state: before!.state })),
    );
  }

  /** A test ping an operator sends by hand (monitors' own pings are not operator changes). */
  ping(actor: string, name: string, source: string): Promise<PingResult> {
    return this.o.service.ping(name, { source, record: this.record(actor, 'heartbeat.ping', states) });
  }

  /** An empty detail means nothing changed: no entry. */
  private record(actor: string, action: string, detail: (c: HeartbeatChange) => Detail): ChangeRecord {
    return async (c, tx) => {
      const d = detail(c);
      if (Object.keys(d).length === 0) return;
      await this.o.audit.record({ actor, action, target: (c.after ?? c.before)!.name, detail: d }, tx);
    };
  }
}

function settings(hb: Heartbeat): Detail {
  return { kind: hb.kind, every: formatSeconds(hb.periodS), grace: formatSeconds(hb.graceS), page: hb.page, description: hb.description };
}

function states({ before, after }: HeartbeatChange): Detail {
  return { from: before?.state ?? null, to: after?.state ?? null };
}

/** What a change did, as the audit log shows it. */
function changes(before: Heartbeat, after: Heartbeat): Record<string, { from: unknown; to: unknown }> {
  const out: Record<string, { from: unknown; to: unknown }> = {};
  if (after.periodS !== before.periodS) out.every = { from: formatSeconds(before.periodS), to: formatSeconds(after.periodS) };
  if (after.graceS !== before.graceS) out.grace = { from: formatSeconds(before.graceS), to: formatSeconds(after.graceS) };
  if (sameSet(after.page) !== sameSet(before.page)) out.page = { from: before.page, to: after.page };
  if ((after.description ?? null) !== (before.description ?? null)) out.description = { from: before.description, to: after.description };
  if (after.kind !== before.kind) out.kind = { from: before.kind, to: after.kind };
  if (after.enabled !== before.enabled) out.enabled = { from: before.enabled, to: after.enabled };
  if (JSON.stringify(after.options) !== JSON.stringify(before.options)) out.options = { from: before.options, to: after.options };
  return out;
}

/** Page lists compared as sets of addresses, as the directory matches them (case-insensitive). */
function sameSet(emails: readonly string[]): string {
  return [...new Set(emails.map(emailKey))].sort().join(',');
}
