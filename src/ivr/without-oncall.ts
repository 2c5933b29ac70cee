/**
 * Menu digits on pages that OnCall cannot be asked about. Only a page
 * tied to an OnCall alert group acts on OnCall. A page dozvon sent by itself (a heartbeat, a
 * self-check report, a shift notice, a test call) has nothing behind it in OnCall: there 1 means
 * "got it", and everyone else paged about the same event is told who took it. A page from OnCall
 * whose alert group could not be identified acts on nothing, and the caller is told so plainly.
 */
import type { Notification } from '../db/notifications-repo';
import { ALERT_SOURCE } from './alert-pages';
import type { ActionName } from '../oncall/actions';
import type { Lang, Spoken } from '../oncall/words';

export type PageOrigin = 'oncall' | 'unidentified' | 'direct' | 'alert';

/** What a page is, for the menu: OnCall's with its group, OnCall's without one, one of dozvon's alerts, or dozvon's own. */
export function pageOrigin(p: { source: string; alertGroupId: string | null }): PageOrigin {
  if (p.source === ALERT_SOURCE) return 'alert';
  if (!p.source.startsWith('oncall')) return 'direct';
  return p.alertGroupId ? 'oncall' : 'unidentified';
}

/** Digit 1 on dozvon's own pages: the taker has them; the others paged about the same event learn who. */
export interface PageTaking {
  /** Names of the people who were told (the taker excluded). */
  take(pages: readonly Notification[], taker: { name: string; email?: string }): Promise<{ told: string[] }>;
}

export const UNIDENTIFIED: Spoken = {
  en: 'The incident could not be identified in OnCall, so nothing was changed. Please use OnCall.',
  ru: 'Не удалось определить инцидент в OnCall, поэтому ничего не изменено. Пожалуйста, воспользуйтесь OnCall.',
};

export const ONCALL_NOT_CONNECTED: Spoken = {
  en: 'OnCall is not connected to dozvon, so nothing was changed. Please use OnCall.',
  ru: 'OnCall не подключён к дозвону, поэтому ничего не изменено. Пожалуйста, воспользуйтесь OnCall.',
};

export function gotIt(told: readonly string[], testCall: boolean): Spoken {
  const head = testCall
    ? { en: 'Got it. The test call worked.', ru: 'Принято. Тестовый звонок прошёл.' }
    : { en: 'Got it.', ru: 'Принято.' };
  if (told.length === 0) return head;
  return {
    en: `${head.en} ${names(told, 'en')} ${told.length === 1 ? 'is' : 'are'} told that you took it.`,
    ru: `${head.ru} ${names(told, 'ru')} ${told.length === 1 ? 'получит' : 'получат'} сообщение, что вызов принят вами.`,
  };
}

const VERB: Record<Exclude<ActionName, 'acknowledge'>, Spoken> = {
  escalate: { en: 'escalate', ru: 'эскалировать' },
  reassign: { en: 'reassign', ru: 'переназначать' },
  resolve: { en: 'resolve', ru: 'закрывать' },
};

/** 2, 3 or 4 on a page that is not an OnCall incident. */
export function notAnIncident(action: Exclude<ActionName, 'acknowledge'>): Spoken {
  return {
    en: `This page is not an OnCall incident, so there is nothing to ${VERB[action].en}; here only 1, got it, does something.`,
    ru: `Это не инцидент OnCall, поэтому ${VERB[action].ru} нечего; здесь работает только 1: принято.`,
  };
}

function names(list: readonly string[], lang: Lang): string {
  if (list.length === 1) return list[0];
  const and = lang === 'ru' ? ' и ' : ' and ';
  return `${list.slice(0, -1).join(', ')}${and}${list[list.length - 1]}`;
}
