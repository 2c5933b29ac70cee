/** Whether dozvon could ever page somebody: the rule `users add`, imports and the console share. */

export interface ReachFields {
  email: string;
  phone?: string | null;
  phones?: readonly unknown[];
  contacts?: Record<string, string>;
}

/** A phone, or a contact for an SMS-less channel (push apps, Telegram): somebody dozvon can reach. */
export function isReachable(u: Omit<ReachFields, 'email'>): boolean {
  return Boolean(u.phone) || (u.phones?.length ?? 0) > 0 || Object.values(u.contacts ?? {}).some(Boolean);
}

/** Somebody with neither a phone nor a contact for SMS-less channels could never be paged. */
export function unreachable(u: ReachFields): string | null {
  if (isReachable(u)) return null;
  return `${u.email} has no phone and no contact (e.g. --contact fcm_device=…): nobody could page them`;
}
