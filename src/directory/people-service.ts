/**
 * The one place that changes people (add, change, remove, import) and queues a test call, SMS or
 * push for one. The console, the admin API and the CLI parse their input, call this with who they
 * act for, and render the answer. Each change and its audit entry are written in one transaction,
 * so the log never misses a change and never names one that was undone.
 */
import type { Db, Tx } from '../db/knex';
import { UsersRepo } from './users-repo';
import { NotificationsRepo, type EnqueueInput, type Notification } from '../db/notifications-repo';
import { userChangeDetail } from '../audit/detail';
import type { AuditLog } from '../audit/repo';
import type { Lang, User, UserCreate, UserPatch } from './user';
import { applyImport, type ImportFormat, type PlannedEntry } from './import';
import { hashPin } from './pin';

export interface PeopleOptions {
  db: Db;
  audit: AuditLog;
  /** The language of people added without one (DOZVON_LANG). */
  defaultLang: Lang;
  now?: () => number;
  /** PIN hashing (scrypt by default), run before the transaction. */
  hashPin?: (pin: string) => Promise<string>;
}

export interface ImportRequest {
  /** What the audit entry names as the target: the file the CLI read, or "directory". */
  source: string;
  format: ImportFormat;
  entries: PlannedEntry[];
  /** Leave alone the people the plan found unchanged. */
  skipUnchanged?: boolean;
  onEach?: (done: number, total: number) => void;
}

export interface ImportDone {
  created: string[];
  updated: string[];
  unchanged: string[];
}

/** Writes one audit entry inside the change's transaction. */
type Audit = (action: string, target: string, detail: Record<string, unknown> | null) => Promise<void>;

export class People {
  constructor(private readonly o: PeopleOptions) {}

  async create(actor: string, input: UserCreate): Promise<User> {
    const pinHash = await this.pinHashOf(input.pin);
    return this.change(actor, async (users, audit) => {
      const u = await users.create(input, { lang: this.o.defaultLang, pinHash });
      await audit('user.create', u.email, userChangeDetail(input));
      return u;
    });
  }

  async update(actor: string, email: string, patch: UserPatch): Promise<User> {
    const pinHash = await this.pinHashOf(patch.pin);
    return this.change(actor, async (users, audit) => {
      const u = await users.update(email, patch, pinHash);
      await audit('user.update', u.email, userChangeDetail(patch));
      return u;
    });
  }

  /** False when nobody has this email (nothing changed, nothing audited). */
  remove(actor: string, email: string): Promise<boolean> {
    return this.change(actor, async (users, audit) => {
      if (!(await users.remove(email))) return false;
      await audit('user.remove', email, null);
      return true;
    });
  }

  /** Writes a previewed plan; all of it or, if any write or the audit entry fails, none of it. */
  async import(actor: string, r: ImportRequest): Promise<ImportDone> {
    const pinHashes = new Map<number, string>();
    for (const e of r.entries) {
      const hash = r.skipUnchanged && e.status === 'unchanged' ? undefined : await this.pinHashOf(e.input.pin);
      if (hash) pinHashes.set(e.entry, hash);
    }
    return this.change(actor, async (users, audit) => {
      const done = await applyImport(users, r.entries, this.o.defaultLang, { skipUnchanged: r.skipUnchanged, onEach: r.onEach, pinHashes });
      await audit('user.import', r.source, {
        format: r.format,
        created: done.created.length,
        updated: done.updated.length,
        unchanged: done.unchanged.length,
        emails: { created: done.created, updated: done.updated },
      });
      return done;
    });
  }

  /** Queues a test for the person (the caller wakes the engines once this returns). */
  testSend(actor: string, input: EnqueueInput): Promise<Notification> {
    return this.o.db.transaction(async (tx) => {
      const n = await new NotificationsRepo(tx, this.o.now).insertIn(tx, input);
      await this.o.audit.record({ actor, action: `user.test-${input.kind}`, target: input.email, detail: { notification: n.id } }, tx);
      return n;
    });
  }

  /** scrypt takes tens of milliseconds: hashed before the transaction, so other writers are not kept waiting on SQLite's one connection. */
  private async pinHashOf(pin: string | null | undefined): Promise<string | undefined> {
    return pin ? (this.o.hashPin ?? hashPin)(pin) : undefined;
  }

  private change<T>(actor: string, fn: (users: UsersRepo, audit: Audit) => Promise<T>): Promise<T> {
    return this.o.db.transaction((tx: Tx) =>
      fn(new UsersRepo(tx, this.o.now), (action, target, detail) => this.o.audit.record({ actor, action, target, detail }, tx)),
    );
  }
}
