/**
 * Turns one notice into a message to one person: matches the OnCall user to the directory
 * by email, picks their language and zone, sends once (the sent-notices table and the
 * pager's dedupe key both guard against a second copy), then records it.
 */
import type { CallOptions, OnCallClient, OnCallUser } from '../../oncall';
import { errorMessage } from '../../core/errors';
import type { Logger } from '../../core/log';
import { maskEmail } from '../../core/mask';
import { isValidZone, type TimeLang } from '../../core/time';
import type { NoticeKey, ShiftNoticesRepo } from './repo';
import { noticeText } from './texts';

export interface ShiftPage {
  emails: string[];
  text: string;
  source: string;
  /** Same key twice → delivered once (a crash between sending and recording). */
  dedupeKey: string;
}

/** DirectPager fits: it reaches the person over their own channels. */
export interface ShiftPager {
  page(p: ShiftPage): Promise<unknown>;
}

export interface ShiftPerson {
  email: string;
  lang: string;
  timezone: string | null;
}

/** UsersRepo fits. */
export interface ShiftDirectory {
  getByEmail(email: string): Promise<ShiftPerson | null>;
}

export interface Notice {
  key: NoticeKey;
  scheduleName: string;
  /** From final_shifts when known; otherwise looked up in OnCall by pk. */
  email: string | null;
  start: number | null;
  end: number | null;
  now: number;
}

/** sent/already/ignored are final for this notice; failed is tried again at the next look. */
export type DeliveryResult = 'sent' | 'already' | 'ignored' | 'failed';

/** Per look: OnCall users fetched at most once each. */
export interface LookContext {
  opts: CallOptions;
  users: Map<string, Promise<OnCallUser>>;
}

export interface NoticeSenderOptions {
  client: OnCallClient;
  repo: ShiftNoticesRepo;
  directory: ShiftDirectory;
  pager: ShiftPager;
  logger: Logger;
  defaultZone: string;
}

export class NoticeSender {
  /** Unknown people are logged once per notice, not at every look while a reminder is due. */
  private readonly loggedUnknown = new Set<string>();

  constructor(private readonly o: NoticeSenderOptions) {}

  async deliver(n: Notice, ctx: LookContext): Promise<DeliveryResult> {
    const k = n.key;
    const log = this.o.logger.child({ schedule: n.scheduleName, kind: k.kind, userPk: k.userPk });
    try {
      if (await this.o.repo.wasSent(k)) return 'already';
      const email = n.email ?? (await this.oncallUser(k.userPk, ctx)).email;
      const person = await this.o.directory.getByEmail(email);
      if (!person) {
        const tag = keyText(k);
        if (!this.loggedUnknown.has(tag)) {
          this.loggedUnknown.add(tag);
          log.info({ email: maskEmail(email) }, 'shift notice skipped: OnCall user not in the directory');
        }
        return 'ignored';
      }
      const { zone, own } = await this.zoneOf(person, k.userPk, ctx);
      const lang: TimeLang = person.lang === 'ru' ? 'ru' : 'en';
      const text = noticeText({
        kind: k.kind,
        scheduleName: n.scheduleName,
        start: n.start,
        end: n.end,
        now: n.now,
        zone,
        lang,
        sayZone: !own,
      });
      await this.o.pager.page({ emails: [person.email], text, source: 'shift', dedupeKey: `shift:${keyText(k)}` });
      await this.o.repo.recordSent(k, person.email, n.now);
      log.info({ email: maskEmail(person.email), zone, lang }, 'shift notice sent');
      return 'sent';
    } catch (e) {
      log.warn({ err: errorMessage(e) }, 'shift notice not sent; trying again at the next look');
      return 'failed';
    }
  }

  /** The directory's zone, else the one set in the person's OnCall profile, else the configured default. */
  private async zoneOf(person: ShiftPerson, userPk: string, ctx: LookContext): Promise<{ zone: string; own: boolean }> {
    if (isValidZone(person.timezone)) return { zone: person.timezone!, own: true };
    try {
      const tz = (await this.oncallUser(userPk, ctx)).timezone;
      if (isValidZone(tz)) return { zone: tz!, own: true };
    } catch (e) {
      this.o.logger.debug({ userPk, err: errorMessage(e) }, 'OnCall profile unreadable; using the default zone');
    }
    return { zone: this.o.defaultZone, own: false };
  }

  private oncallUser(pk: string, ctx: LookContext): Promise<OnCallUser> {
    let p = ctx.users.get(pk);
    if (!p) {
      p = this.o.client.getUser(pk, ctx.opts);
      ctx.users.set(pk, p);
    }
    return p;
  }
}

function keyText(k: NoticeKey): string {
  return `${k.scheduleId}:${k.userPk}:${k.kind}:${k.shiftStart}`;
}
