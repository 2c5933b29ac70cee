/**
 * One claim round of the voice engine, shaped for a burst (an incident paging a whole team):
 * the pages of every free person are claimed in one transaction, then the people, their pages'
 * earlier attempts and their voice history are read once for all of them. Per person, nothing
 * is left to ask the database before the call is placed (its attempt is written beside the dial).
 */
import type { NotificationsRepo, Notification, Attempt, ClaimPeopleOptions, VoiceHistoryItem } from '../db/notifications-repo';
import type { UsersRepo } from '../directory/users-repo';
import type { User } from '../directory/user';

/** Everything one call needs from the database before it dials. */
export interface ClaimedCall {
  userId: number;
  rows: Notification[];
  /** null: the person was removed between the page and the claim. */
  user: User | null;
  /** Each page's attempts before this call. */
  earlier: Map<number, Attempt[]>;
  /** The person's voice attempts since `historySince` (the voice limits read them). */
  history: VoiceHistoryItem[];
  /** How many of the pages a dead instance had been calling about. */
  interrupted: number;
}

export interface Burst {
  /** Pages whose person was deleted (the foreign key set it to null). */
  orphans: Notification[];
  calls: ClaimedCall[];
}

/** What a claim reads after it committed: on SQLite, connections that read beside the writer. */
export interface BurstReads {
  notifications: Pick<NotificationsRepo, 'attemptsFor' | 'voiceHistories' | 'anyClaimable'>;
  users: Pick<UsersRepo, 'getManyById'>;
}

export async function claimBurst(
  deps: { claims: Pick<NotificationsRepo, 'claimPeople'>; reads: BurstReads },
  claim: ClaimPeopleOptions,
  historySince: number,
): Promise<Burst> {
  const { rows, interrupted } = await deps.claims.claimPeople(claim);
  const orphans: Notification[] = [];
  const byUser = new Map<number, Notification[]>();
  for (const r of rows) {
    if (r.userId === null) orphans.push(r);
    else byUser.set(r.userId, [...(byUser.get(r.userId) ?? []), r]);
  }
  if (byUser.size === 0) return { orphans, calls: [] };
  const userIds = [...byUser.keys()];
  // The claim has committed, so these reads see it; on SQLite they run beside the next writes.
  const [people, earlier, histories] = await Promise.all([
    deps.reads.users.getManyById(userIds),
    deps.reads.notifications.attemptsFor(rows.filter((r) => r.userId !== null).map((r) => r.id)),
    deps.reads.notifications.voiceHistories(userIds, historySince),
  ]);
  const calls = userIds.map((userId) => {
    const mine = byUser.get(userId)!;
    return {
      userId,
      rows: mine,
      user: people.get(userId) ?? null,
      earlier: new Map(mine.map((r) => [r.id, earlier.get(r.id) ?? []])),
      history: histories.get(userId) ?? [],
      interrupted: mine.filter((r) => interrupted.has(r.id)).length,
    };
  });
  return { orphans, calls };
}
