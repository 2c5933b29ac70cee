/** What the hotline says that is not a fixed prompt: spoken through the Tts, in English and Russian. */
import { maskPhone } from '../core/mask';
import type { Lang } from '../directory/user';

export type { Lang };

const T = {
  oncallDown: {
    en: 'OnCall cannot be reached right now. Here are the pages dozvon sent in the last day.',
    ru: 'OnCall сейчас недоступен. Вот вызовы, которые дозвон отправил за последние сутки.',
  },
  lastOne: { en: 'That was the last incident.', ru: 'Это был последний инцидент.' },
  firstOne: { en: 'This is the first incident.', ru: 'Это первый инцидент.' },
  nothingToAck: { en: 'There is no incident to acknowledge.', ru: 'Нет инцидента, который можно подтвердить.' },
  cannotAck: { en: 'This incident cannot be acknowledged from here.', ru: 'Этот инцидент нельзя подтвердить отсюда.' },
  noActions: { en: 'Acknowledging is not available: OnCall is not configured.', ru: 'Подтверждение недоступно: OnCall не настроен.' },
  nobodyOnCall: { en: 'Nobody could be found on call.', ru: 'Дежурный не найден.' },
  messageTaken: { en: 'Thank you. Your message has been passed on.', ru: 'Спасибо. Ваше сообщение передано.' },
  noIncident: { en: 'no open incident', ru: 'открытых инцидентов нет' },
} as const;

export type TextId = keyof typeof T;

export function text(id: TextId, lang: Lang): string {
  return T[id][lang];
}

/** "Incident 2 of 5. <summary>" */
export function incidentText(index: number, total: number, summary: string, lang: Lang): string {
  return lang === 'ru' ? `Инцидент ${index + 1} из ${total}. ${summary}` : `Incident ${index + 1} of ${total}. ${summary}`;
}

/** What the engineer hears before the bridge: who calls and about what. */
export function announceText(caller: { name: string | null; number: string | null }, about: string | null, lang: Lang): string {
  // Spoken in full: the engineer may need to call back, and a masked number cannot be read aloud.
  const who = caller.name ?? (caller.number ? caller.number.split('').join(' ') : lang === 'ru' ? 'неизвестного абонента' : 'an unknown caller');
  const topic = about ?? text('noIncident', lang);
  return lang === 'ru' ? `Звонок на горячую линию от ${who}. Тема: ${topic}. Соединяю.` : `Hotline call from ${who}, about: ${topic}. Connecting you now.`;
}

export function messageTitle(caller: { name: string | null; number: string | null }): string {
  return `Hotline message from ${caller.name ?? (caller.number ? maskPhone(caller.number) : 'an unknown caller')}`;
}
