/**
 * Who is calling: caller ID against the directory, and PINs. A PIN is always checked against one
 * person: the caller ID's owner, or, from an unknown number, the person the caller names by their
 * extension or the last digits of their phone. A guess therefore costs one hash and can only ever
 * match the one person named (a PIN alone never identifies anyone).
 */
import { normalisePhone } from '../directory/phone';
import { hashPin, verifyPin } from '../directory/pin';
import type { User } from '../directory/user';
import type { UsersRepo } from '../directory/users-repo';

export type DirectoryPort = Pick<UsersRepo, 'getByPhone' | 'secrets' | 'byPhoneEnding'>;

export class CallerDirectory {
  private decoy: Promise<string> | null = null;

  constructor(private readonly users: DirectoryPort) {}

  /** A hash no PIN matches in practice, so a caller naming nobody waits as long as one naming someone. */
  private decoyHash(): Promise<string> {
    this.decoy ??= hashPin(String(Math.floor(Math.random() * 1e8)).padStart(8, '0'));
    return this.decoy;
  }

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

  /**
   * The person named by `who` (their extension or phone number, or its last 4+ digits; it must
   * name exactly one person) when `pin` is theirs; else null. Whether `who` named anyone is not
   * told apart from a wrong PIN, and costs the same one hash.
   */
  async identify(who: string, pin: string): Promise<User | null> {
    const found = /^[0-9]{2,15}$/.test(who) ? await this.users.byPhoneEnding(who, 2) : [];
    const user = found.length === 1 && found[0].hasPin ? found[0] : null;
    if (!user) {
      await verifyPin(/^[0-9]{4,8}$/.test(pin) ? pin : '0000', await this.decoyHash());
      return null;
    }
    return (await this.checkPin(user, pin)) ? user : null;
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
