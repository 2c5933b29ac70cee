/**
 * Pages heard for people whose call is on its way to the dial. A burst's claim is one
 * transaction: a page committed a moment after it (OnCall sends one make_call per alert group,
 * close together) would otherwise wait for a second call. The engine hears every committed page
 * (the intake's wake-up), so it asks the database again only for a person who got a page their
 * claim did not take, and a burst where nothing new arrived costs no extra query.
 */
export class Arrivals {
  private readonly byUser = new Map<number, Set<number>>();

  /** A page for this person is on disk. */
  heard(userId: number, notificationId: number): void {
    const ids = this.byUser.get(userId) ?? new Set<number>();
    ids.add(notificationId);
    this.byUser.set(userId, ids);
  }

  /** Whether the person got a page other than the ones their call holds; forgets them either way. */
  takeNew(userId: number, holding: readonly number[]): boolean {
    const ids = this.byUser.get(userId);
    this.byUser.delete(userId);
    if (!ids) return false;
    for (const id of holding) ids.delete(id);
    return ids.size > 0;
  }

  forget(userId: number): void {
    this.byUser.delete(userId);
  }

  /**
   * Before a claim: pages heard so far are committed, so the claim sees them. Only people with a
   * call already under way (skipped by the claim) keep what was heard for them.
   */
  keepOnly(onCall: (userId: number) => boolean): void {
    for (const userId of [...this.byUser.keys()]) if (!onCall(userId)) this.byUser.delete(userId);
  }
}
