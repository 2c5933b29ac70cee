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
  // No message was stored (the recording failed or stayed empty): only the call is reported.
  callNoted: {
    en: 'Thank you. The engineer on call will be told that you called.',
    ru: 'Спасибо. Дежурному инженеру сообщат о вашем звонке.',
  },
  noIncident: { en: 'no open incident', ru: 'открытых инцидентов нет' },
  identify: {
    en: 'Please enter your extension, or the last four digits of your phone number, followed by the hash key.',
    ru: 'Пожалуйста, введите ваш внутренний номер или последние четыре цифры вашего телефона и нажмите решётку.',
  },
  pinLocked: {
    en: 'Too many wrong PINs. PIN entry is blocked for now; please try again later.',
    ru: 'Слишком много неверных пин-кодов. Ввод пин-кода временно заблокирован; попробуйте позже.',
  },
} as const;

export type TextId = keyof typeof T;

export function text(id: TextId, lang: Lang): string {
  return T[id][lang];
}

/** "Incident 2 of 5. <summary>" */
export function incidentText(index: number, total: number, summary: string, lang: Lang): string {
  return lang === 'ru' ? `Инцидент ${index + 1} из ${total}. ${summary}` : `Incident ${index + 1} of ${total}. ${summary}`;
}

/**
 * Who the caller is, as far as we know it. `verified: false` with a name means the name comes from
 * caller ID alone (no PIN), which anyone can spoof: the engineer is told so.
 */
export interface CallerInfo {
  name: string | null;
  number: string | null;
  verified?: boolean;
}

/** What the engineer hears before the bridge: who calls and about what. */
export function announceText(caller: CallerInfo, about: string | null, lang: Lang): string {
  // Spoken in full: the engineer may need to call back, and a masked number cannot be read aloud.
  const number = caller.number ? caller.number.split('').join(' ') : null;
  const unverified = caller.name !== null && caller.verified === false;
  const who = caller.name
    ? unverified
      ? lang === 'ru'
        ? `${caller.name}, по номеру, без пин-кода, не проверено`
        : `${caller.name}, going by caller ID only, not verified`
      : caller.name
    : (number ?? (lang === 'ru' ? 'неизвестного абонента' : 'an unknown caller'));
  const topic = about ?? text('noIncident', lang);
  return lang === 'ru'
    ? `Звонок на горячую линию от ${who}. Тема: ${topic}. Соединяю.`
    : `Hotline call from ${who}, about: ${topic}. Connecting you now.`;
}

export function messageTitle(caller: CallerInfo): string {
  const who = caller.name ?? (caller.number ? maskPhone(caller.number) : 'an unknown caller');
  return `Hotline message from ${who}${caller.name !== null && caller.verified === false ? ' (caller ID only, not verified)' : ''}`;
}
