/** What the caller hears after pressing a digit, and the resolution-note text OnCall shows. */
import { maskPhone } from '../core/mask';
import { incidentsWord, type Spoken } from './words';

export type ActionName = 'acknowledge' | 'resolve' | 'escalate' | 'reassign';
export type ActionChannel = 'phone' | 'sms' | 'push' | 'web' | 'hotline';

export const FAILED: Spoken = { en: 'Sorry, that failed; the incident is unchanged.', ru: 'Извините, не получилось; инцидент не изменён.' };
export const NO_TARGET: Spoken = {
  en: 'Sorry, no escalation target is configured; the incident is unchanged.',
  ru: 'Извините, цель эскалации не настроена; инцидент не изменён.',
};

export function done(action: ActionName, count: number, who?: Spoken): Spoken {
  const many = count > 1;
  switch (action) {
    case 'acknowledge':
      return many
        ? { en: `Acknowledged ${incidentsWord(count, 'en')}.`, ru: `Подтверждено: ${incidentsWord(count, 'ru')}.` }
        : { en: 'Acknowledged.', ru: 'Подтверждено.' };
    case 'resolve':
      return many
        ? { en: `Resolved ${incidentsWord(count, 'en')}.`, ru: `Решено: ${incidentsWord(count, 'ru')}.` }
        : { en: 'Resolved.', ru: 'Решено.' };
    case 'escalate':
      return { en: `Escalated to ${who?.en}.`, ru: `Эскалировано: ${who?.ru}.` };
    case 'reassign':
      return { en: `Reassigned to ${who?.en}.`, ru: `Переназначено: ${who?.ru}.` };
  }
}

export function already(state: 'acknowledged' | 'resolved' | string, by: string | null): Spoken {
  if (state === 'resolved')
    return by ? { en: `Already resolved by ${by}.`, ru: `Уже решено: ${by}.` } : { en: 'Already resolved.', ru: 'Уже решено.' };
  return by
    ? { en: `Already acknowledged by ${by}.`, ru: `Уже подтверждено: ${by}.` }
    : { en: 'Already acknowledged.', ru: 'Уже подтверждено.' };
}

/** Some groups changed, some did not: say both, so nobody assumes all is handled. */
export function partial(action: ActionName, ok: number, total: number): Spoken {
  const verb = {
    acknowledge: ['Acknowledged', 'Подтверждено'],
    resolve: ['Resolved', 'Решено'],
    escalate: ['Escalated', 'Эскалировано'],
    reassign: ['Reassigned', 'Переназначено'],
  }[action];
  return {
    en: `${verb[0]} ${ok} of ${total} incidents; the rest failed and are unchanged.`,
    ru: `${verb[1]} ${ok} из ${total}; остальные не удалось изменить.`,
  };
}

export function noChoice(choice: number): Spoken {
  return { en: `There is no choice ${choice}.`, ru: `Варианта ${choice} нет.` };
}

const CHANNEL: Record<ActionChannel, string> = {
  phone: 'by phone',
  sms: 'by SMS link',
  push: 'by push link',
  web: 'on the dozvon web page',
  hotline: 'by hotline call',
};
const VERB: Record<ActionName, string> = {
  acknowledge: 'Acknowledged',
  resolve: 'Resolved',
  escalate: 'Escalated',
  reassign: 'Reassigned',
};

/** "Acknowledged by phone by Alice Smith from +7916***67" (+ who was paged; + "via dozvon" when our token acted). */
export function noteText(
  action: ActionName,
  actor: { name: string; phone?: string | null },
  channel: ActionChannel,
  opts: { paged?: string; viaService: boolean },
): string {
  let text = `${VERB[action]} ${CHANNEL[channel]} by ${actor.name}`;
  if (actor.phone) text += ` from ${maskPhone(actor.phone)}`;
  if (opts.paged) text += `: paged ${opts.paged}`;
  if (opts.viaService) text += ' (via dozvon)';
  return text;
}
