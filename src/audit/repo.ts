/**
 * The audit log: every change an operator makes (console, admin API, CLI) with who, when and what.
 * Details are stored as JSON with secrets already masked by the caller (PINs as "set", phones masked).
 */
import type { Db, Tx } from '../db/knex';

export interface AuditEntry {
  id: number;
  at: number;
  actor: string;
  action: string;
  target: string;
  detail: Record<string, unknown> | null;
}

export interface AuditInput {
  actor: string;
  action: string;
  target: string;
  detail?: Record<string, unknown> | null;
}

export interface AuditQuery {
  limit?: number;
  /** Entries with id below this (paging back through history). */
  beforeId?: number;
  target?: string;
  action?: string;
}

export interface AuditLog {
  /** With `tx`, the entry commits or rolls back with the change it describes. */
  record(e: AuditInput, tx?: Tx): Promise<void>;
  list(q?: AuditQuery): Promise<AuditEntry[]>;
}

const MAX_ACTOR = 200;
const MAX_TARGET = 300;

export class AuditRepo implements AuditLog {
  constructor(
    private readonly db: Db,
    private readonly now: () => number,
  ) {}

  async record(e: AuditInput, tx?: Tx): Promise<void> {
    await (tx ?? this.db)('audit_log').insert({
      at: this.now(),
      actor: e.actor.slice(0, MAX_ACTOR),
      action: e.action.slice(0, 64),
      target: e.target.slice(0, MAX_TARGET),
      detail: e.detail ? JSON.stringify(e.detail) : null,
    });
  }

  async list(q: AuditQuery = {}): Promise<AuditEntry[]> {
    let query = this.db('audit_log')
      .orderBy('id', 'desc')
      .limit(Math.min(Math.max(q.limit ?? 100, 1), 1000));
    if (q.beforeId !== undefined) query = query.where('id', '<', q.beforeId);
    if (q.target !== undefined) query = query.where('target', q.target);
    if (q.action !== undefined) query = query.where('action', q.action);
    const rows = (await query) as Record<string, unknown>[];
    return rows.map((r) => ({
      id: Number(r.id),
      at: Number(r.at),
      actor: String(r.actor),
      action: String(r.action),
      target: String(r.target),
      detail: parseDetail(r.detail),
    }));
  }
}

function parseDetail(v: unknown): Record<string, unknown> | null {
  if (typeof v !== 'string' || v === '') return null;
  try {
    const d = JSON.parse(v) as unknown;
    return d !== null && typeof d === 'object' && !Array.isArray(d) ? (d as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}
