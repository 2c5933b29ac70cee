/**
 * A heartbeat must be able to page someone: its own page list, or else the configured default
 * (`heartbeats.page`), must be non-empty and name only people in the directory. Checked when a
 * heartbeat is added, declared, created over an API or given a new list, so a typo is refused
 * then, with the names, instead of being found at expiry ("cannot page: not in the directory").
 */
import { ValidationError } from '../../core/errors';
import { emailKey, type UsersRepo } from '../../directory/users-repo';

/** Which of these addresses are not in the directory (case-insensitive, as OnCall matches them). */
export interface PeopleDirectory {
  missing(emails: readonly string[]): Promise<string[]>;
}

/** The people directory (the users table) as the page-list check sees it. */
export function usersDirectory(users: Pick<UsersRepo, 'getManyByEmail'>): PeopleDirectory {
  return {
    async missing(emails) {
      const found = await users.getManyByEmail([...emails]);
      return [...new Set(emails.filter((e) => !found.has(emailKey(e))))];
    },
  };
}

/** Throws a ValidationError naming the heartbeat and the people when nobody (known) would be paged. */
export async function checkPageList(
  name: string,
  page: readonly string[],
  defaults: readonly string[],
  directory: PeopleDirectory,
): Promise<void> {
  const own = page.length > 0;
  const effective = own ? page : defaults;
  if (effective.length === 0) {
    throw new ValidationError(
      `heartbeat "${name}" would page no one: give it a page list (--page) or set heartbeats.page in the config file`,
      'page',
    );
  }
  const missing = await directory.missing(effective);
  if (missing.length === 0) return;
  const who = missing.join(', ');
  throw new ValidationError(
    own
      ? `heartbeat "${name}": not in the directory: ${who} (add them with "dozvon users add" or correct the address)`
      : `heartbeat "${name}" has no page list and heartbeats.page names people not in the directory: ${who}`,
    'page',
  );
}
