/** What checking a code answers; both the verifier and the verification call speak it. */
export type ConfirmStatus = 'ok' | 'wrong' | 'expired' | 'too-many-attempts' | 'none';
export interface ConfirmResult {
  /** none: no code is out for this person (never sent, already used, replaced, or the number changed). */
  status: ConfirmStatus;
  attemptsLeft: number;
}
