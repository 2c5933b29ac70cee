/** What every console page knows about its request: language, words, where it lives, who asks. */
import type { Response } from '../http/express';
import type { ConsoleLang, Translate } from './i18n';
import type { CommonKey } from './texts';
import type { ConsoleUser } from './auth';

export interface ConsoleContext {
  lang: ConsoleLang;
  t: Translate<CommonKey>;
  /** Absolute path of the console root with a trailing slash ("/console/" or "/oncall/console/"). */
  base: string;
  /** The hidden field every form carries. */
  csrf: string;
  user: ConsoleUser;
  now: number;
}

export function ctxOf(res: Response): ConsoleContext {
  const c = res.locals.console as ConsoleContext | undefined;
  if (!c) throw new Error('console context missing: route mounted outside consoleRouter');
  return c;
}
