/**
 * One handle on the notifications table group for the engines, routers and the console: the
 * queue (enqueue, claim, lease, finish), the attempts, and the read side, each in db/notifications/.
 */
import type { Db } from './knex';
import { NotificationQueue } from './notifications/queue';
import { AttemptsRepo } from './notifications/attempts';
import { NotificationReads } from './notifications/reads';

export { NOTIFICATION_KINDS } from './notifications/types';
export type {
  NotificationKind,
  NotificationState,
  Correlation,
  Notification,
  Attempt,
  PlayedItem,
  DialLeg,
  EnqueueInput,
  EnqueueGuard,
} from './notifications/types';
export type { ClaimOptions, ClaimPeopleOptions, ClaimedPeople } from './notifications/queue';
export type { NotificationSearch } from './notifications/reads';
export type { VoiceHistoryItem } from './notifications/attempts';

export class NotificationsRepo {
  readonly queue: NotificationQueue;
  readonly attempts: AttemptsRepo;
  readonly reads: NotificationReads;

  constructor(db: Db, now: () => number = Date.now) {
    this.queue = new NotificationQueue(db, now);
    this.attempts = new AttemptsRepo(db, now);
    this.reads = new NotificationReads(db);
  }

  enqueue(...a: Parameters<NotificationQueue['enqueue']>): ReturnType<NotificationQueue['enqueue']> {
    return this.queue.enqueue(...a);
  }

  insertIn(...a: Parameters<NotificationQueue['insertIn']>): ReturnType<NotificationQueue['insertIn']> {
    return this.queue.insertIn(...a);
  }

  insertManyIn(...a: Parameters<NotificationQueue['insertManyIn']>): ReturnType<NotificationQueue['insertManyIn']> {
    return this.queue.insertManyIn(...a);
  }

  countsSince(...a: Parameters<NotificationQueue['countsSince']>): ReturnType<NotificationQueue['countsSince']> {
    return this.queue.countsSince(...a);
  }

  countSince(...a: Parameters<NotificationQueue['countSince']>): ReturnType<NotificationQueue['countSince']> {
    return this.queue.countSince(...a);
  }

  findByDedupeKey(...a: Parameters<NotificationQueue['findByDedupeKey']>): ReturnType<NotificationQueue['findByDedupeKey']> {
    return this.queue.findByDedupeKey(...a);
  }

  findByDedupePrefix(...a: Parameters<NotificationQueue['findByDedupePrefix']>): ReturnType<NotificationQueue['findByDedupePrefix']> {
    return this.queue.findByDedupePrefix(...a);
  }

  cancelPending(...a: Parameters<NotificationQueue['cancelPending']>): ReturnType<NotificationQueue['cancelPending']> {
    return this.queue.cancelPending(...a);
  }

  get(...a: Parameters<NotificationQueue['get']>): ReturnType<NotificationQueue['get']> {
    return this.queue.get(...a);
  }

  claim(...a: Parameters<NotificationQueue['claim']>): ReturnType<NotificationQueue['claim']> {
    return this.queue.claim(...a);
  }

  claimPeople(...a: Parameters<NotificationQueue['claimPeople']>): ReturnType<NotificationQueue['claimPeople']> {
    return this.queue.claimPeople(...a);
  }

  anyClaimable(...a: Parameters<NotificationQueue['anyClaimable']>): ReturnType<NotificationQueue['anyClaimable']> {
    return this.queue.anyClaimable(...a);
  }

  renewLease(...a: Parameters<NotificationQueue['renewLease']>): ReturnType<NotificationQueue['renewLease']> {
    return this.queue.renewLease(...a);
  }

  reschedule(...a: Parameters<NotificationQueue['reschedule']>): ReturnType<NotificationQueue['reschedule']> {
    return this.queue.reschedule(...a);
  }

  release(...a: Parameters<NotificationQueue['release']>): ReturnType<NotificationQueue['release']> {
    return this.queue.release(...a);
  }

  finish(...a: Parameters<NotificationQueue['finish']>): ReturnType<NotificationQueue['finish']> {
    return this.queue.finish(...a);
  }

  setCorrelation(...a: Parameters<NotificationQueue['setCorrelation']>): ReturnType<NotificationQueue['setCorrelation']> {
    return this.queue.setCorrelation(...a);
  }

  nextDueAt(...a: Parameters<NotificationQueue['nextDueAt']>): ReturnType<NotificationQueue['nextDueAt']> {
    return this.queue.nextDueAt(...a);
  }

  startAttempt(...a: Parameters<AttemptsRepo['startAttempt']>): ReturnType<AttemptsRepo['startAttempt']> {
    return this.attempts.startAttempt(...a);
  }

  startAttempts(...a: Parameters<AttemptsRepo['startAttempts']>): ReturnType<AttemptsRepo['startAttempts']> {
    return this.attempts.startAttempts(...a);
  }

  updateAttempt(...a: Parameters<AttemptsRepo['updateAttempt']>): ReturnType<AttemptsRepo['updateAttempt']> {
    return this.attempts.updateAttempt(...a);
  }

  attemptsFor(...a: Parameters<AttemptsRepo['attemptsFor']>): ReturnType<AttemptsRepo['attemptsFor']> {
    return this.attempts.attemptsFor(...a);
  }

  sendTimes(...a: Parameters<AttemptsRepo['sendTimes']>): ReturnType<AttemptsRepo['sendTimes']> {
    return this.attempts.sendTimes(...a);
  }

  voiceHistories(...a: Parameters<AttemptsRepo['voiceHistories']>): ReturnType<AttemptsRepo['voiceHistories']> {
    return this.attempts.voiceHistories(...a);
  }

  textHistory(...a: Parameters<AttemptsRepo['textHistory']>): ReturnType<AttemptsRepo['textHistory']> {
    return this.attempts.textHistory(...a);
  }

  voiceHistory(...a: Parameters<AttemptsRepo['voiceHistory']>): ReturnType<AttemptsRepo['voiceHistory']> {
    return this.attempts.voiceHistory(...a);
  }

  listRecent(...a: Parameters<NotificationReads['listRecent']>): ReturnType<NotificationReads['listRecent']> {
    return this.reads.listRecent(...a);
  }

  search(...a: Parameters<NotificationReads['search']>): ReturnType<NotificationReads['search']> {
    return this.reads.search(...a);
  }

  countByState(...a: Parameters<NotificationReads['countByState']>): ReturnType<NotificationReads['countByState']> {
    return this.reads.countByState(...a);
  }
}
