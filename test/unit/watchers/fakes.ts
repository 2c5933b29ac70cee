/** Test doubles for the watchers' seams. */
import type { HeartbeatAlerter, OnCallAlert, Pager, PageRequest } from '../../../src/watchers/heartbeats';
import type { AdminNotifier, AdminReport } from '../../../src/watchers/checks';

export class FakePager implements Pager {
  readonly pages: PageRequest[] = [];
  failNext = false;
  async page(req: PageRequest): Promise<void> {
    this.pages.push(req);
    if (this.failNext) {
      this.failNext = false;
      throw new Error('pager broke');
    }
  }
  /** Compact view for assertions: "down:name" / "recovered:name". */
  summary(): string[] {
    return this.pages.map((p) => `${p.event}:${p.heartbeat.name}`);
  }
}

export class FakeAlerter implements HeartbeatAlerter {
  readonly sent: OnCallAlert[] = [];
  closed = false;
  async send(alert: OnCallAlert): Promise<void> {
    this.sent.push(alert);
  }
  close(): void {
    this.closed = true;
  }
}

export class FakeAdminNotifier implements AdminNotifier {
  readonly reports: AdminReport[] = [];
  async notify(report: AdminReport): Promise<void> {
    this.reports.push(report);
  }
}
