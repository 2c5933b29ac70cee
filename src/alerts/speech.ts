/**
 * What a call about an alert says, read from the alert when the call is prepared (so the count
 * and age are current): priority, message, entity or host, how often, since when, team.
 */
import { relativeTime } from '../core/time';
import type { Lang } from '../directory/user';
import type { Alert } from './types';

export function alertSpeech(a: Alert, lang: Lang, now: number): string {
  const host = a.entity || a.details.host || a.details.instance || '';
  const age = relativeTime(a.createdAt, now, lang);
  if (lang === 'ru') {
    return [
      `Алерт, приоритет ${a.priority.slice(1)}: ${a.message}.`,
      host ? `Объект: ${host}.` : '',
      a.count > 1 ? `Повторений: ${a.count}, первое ${age}.` : `Поступил ${age}.`,
      a.team ? `Команда: ${a.team}.` : '',
      a.status === 'closed' ? 'Алерт уже закрыт.' : a.acknowledged ? `Алерт уже подтвердил ${a.owner}.` : '',
    ]
      .filter(Boolean)
      .join(' ');
  }
  return [
    `Alert, priority ${a.priority.slice(1)}: ${a.message}.`,
    host ? `On ${host}.` : '',
    a.count > 1 ? `Occurred ${a.count} times, first ${age}.` : `Raised ${age}.`,
    a.team ? `Team ${a.team}.` : '',
    a.status === 'closed' ? 'The alert is already closed.' : a.acknowledged ? `Already acknowledged by ${a.owner}.` : '',
  ]
    .filter(Boolean)
    .join(' ');
}
