/** The real audit log, refusing every write while `broken` is set: a change must then roll back with it. */
import type { AuditInput, AuditLog, AuditRepo } from '../../src/audit';

export class BreakableAudit implements AuditLog {
  broken = false;
  constructor(private readonly real: AuditRepo) {}
  async record(e: AuditInput, tx?: Parameters<AuditLog['record']>[1]): Promise<void> {
    if (this.broken) throw new Error('audit log refused');
    await this.real.record(e, tx);
  }
  list: AuditLog['list'] = (q) => this.real.list(q);
}
