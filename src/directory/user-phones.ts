/**
 * The `user_phones` table: each person's phones in dialling order. The first is mirrored into
 * users.phone / phone_verified by UsersRepo, so that single-number readers keep working.
 */
import type { Db } from '../db/knex';
import type { PhoneInput, UserPhone } from './user';

interface PhoneRow {
  user_id: number;
  position: number;
  number: string;
  label: string | null;
  verified: number | boolean;
}

/** Every listed person's phones, in order (a person without phones is absent from the map). */
export async function phonesOf(db: Db, userIds: number[]): Promise<Map<number, UserPhone[]>> {
  const out = new Map<number, UserPhone[]>();
  if (userIds.length === 0) return out;
  const rows = (await db('user_phones')
    .whereIn('user_id', [...new Set(userIds)])
    .orderBy(['user_id', 'position'])) as PhoneRow[];
  for (const r of rows) {
    const list = out.get(r.user_id) ?? [];
    list.push({ number: r.number, label: r.label, verified: Boolean(r.verified) });
    out.set(r.user_id, list);
  }
  return out;
}

/** Replaces the person's whole list (call inside the transaction that changes the person). */
export async function writePhones(db: Db, userId: number, phones: UserPhone[]): Promise<void> {
  await db('user_phones').where({ user_id: userId }).delete();
  if (phones.length === 0) return;
  await db('user_phones').insert(
    phones.map((p, position) => ({ user_id: userId, position, number: p.number, label: p.label, verified: p.verified })),
  );
}

/** Ids of the people who have this number among their phones, oldest first. */
export async function userIdsWithNumber(db: Db, numbers: string[], endingWith?: string, limit = 2): Promise<number[]> {
  const rows = (await db('user_phones')
    .where((b) => {
      b.whereIn('number', numbers);
      // Digits only (the caller checks), so nothing in them can act as a LIKE wildcard.
      if (endingWith) b.orWhere('number', 'like', `%${endingWith}`);
    })
    .distinct('user_id')
    .orderBy('user_id')
    .limit(limit)) as { user_id: number }[];
  return rows.map((r) => r.user_id);
}

/**
 * The list a create or change asks for, or undefined when it leaves the phones alone. A number
 * an operator typed in counts as verified unless they say otherwise (as a single phone always
 * did); a number already on the list keeps its mark, so reordering or relabelling does not
 * undo a verification, nor fake one.
 */
export function requestedPhones(
  input: { phone?: string | null; phones?: PhoneInput[]; phone_verified?: boolean },
  current: UserPhone[],
): UserPhone[] | undefined {
  let list: UserPhone[] | undefined;
  if (input.phone !== undefined)
    list =
      input.phone === null
        ? []
        : [
            {
              number: input.phone,
              label: current.find((p) => p.number === input.phone)?.label ?? null,
              verified: input.phone_verified ?? true,
            },
          ];
  else if (input.phones !== undefined)
    list = input.phones.map((p) => {
      const had = current.find((c) => c.number === p.number);
      return {
        number: p.number,
        label: p.label === undefined ? (had?.label ?? null) : p.label,
        verified: p.verified ?? had?.verified ?? true,
      };
    });
  if (input.phone_verified !== undefined && input.phone === undefined) {
    const base = list ?? current;
    if (base.length > 0) list = [{ ...base[0], verified: input.phone_verified }, ...base.slice(1)];
  }
  return list;
}
