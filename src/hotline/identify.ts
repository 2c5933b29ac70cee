/**
 * Who is calling: caller ID against the directory, and PINs. A PIN checks the caller ID's owner
 * when there is one; for an unknown number, a PIN matching any directory user identifies them.
 */
import { normalisePhone } from '../directory/phone';
import { verifyPin } from '../directory/pin';
import type { User } from '../directory/user';
import type { UsersRepo } from '../db/users-repo';

export type DirectoryPort = Pick<UsersRepo, 'getByPhone' | 'secrets' | 'list'>;

export class CallerDirectory {
  constructor(private readonly users: DirectoryPort) {}

  /** The directory user whose phone is the caller ID (tried as delivered, normalised, and with a +). */
  async byNumber(number: string | null): Promise<User | null> {
    if (!number) return null;
    for (const candidate of numberForms(number)) {
      const u = await this.users.getByPhone(candidate);
      if (u) return u;
    }
    return null;
  }

  async checkPin(user: User, pin: string): Promise<boolean> {
    if (!/^[0-9]{4,8}$/.test(pin)) return false;
    return verifyPin(pin, (await this.users.secrets(user.id)).pinHash);
  }

  /** The one user whose PIN this is; null when none (or, ambiguously, several) match. */
  async findByPin(pin: string): Promise<User | null> {
    if (!/^[0-9]{4,8}$/.test(pin)) return null;
    const { users } = await this.users.list({ limit: 10_000 });
    const matches: User[] = [];
    for (const u of users.filter((x) => x.hasPin)) if (await this.checkPin(u, pin)) matches.push(u);
    return matches.length === 1 ? matches[0] : null;
  }

  async oncallToken(user: User): Promise<string | null> {
    return (await this.users.secrets(user.id)).oncallToken;
  }
}

function numberForms(raw: string): string[] {
  const forms = [raw.trim()];
  try {
    forms.push(normalisePhone(raw));
  } catch {
    // Not a number the directory could hold (e.g. "anonymous"): only the raw form is tried.
  }
  const digits = raw.replace(/[^0-9]/g, '');
  if (digits.length >= 8 && !raw.trim().startsWith('+')) forms.push(`+${digits}`);
  return [...new Set(forms)];
}
