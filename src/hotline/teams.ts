/**
 * The hotline's team path: digit 7 lists the teams by number, and the chosen team's engineers on
 * call are rung as digit 9 rings the OnCall schedule's. The teams side implements the directory.
 */
import type { Candidate } from './oncall-now';
import type { Lang } from './texts';

export interface TeamDirectory {
  /** The teams a caller can choose, in menu order; only the first nine get a digit. */
  teams(): Promise<{ id: string; name: string }[]>;
  /** Who is on call for the team now, with a phone to ring, in ringing order. */
  onCall(teamId: string): Promise<Candidate[]>;
}

export const TEAM_DIGIT = '7';

export function teamHintText(lang: Lang): string {
  return lang === 'ru'
    ? 'Чтобы выбрать команду и дозвониться её дежурному, нажмите 7.'
    : 'To choose a team and reach its engineer on call, press 7.';
}

/** "For Database, press 1. For Web, press 2. To go back, press star." */
export function teamMenuText(names: string[], lang: Lang): string {
  const items = names.map((n, i) => (lang === 'ru' ? `${n}: нажмите ${i + 1}.` : `For ${n}, press ${i + 1}.`));
  return [...items, lang === 'ru' ? 'Вернуться: звёздочка.' : 'To go back, press star.'].join(' ');
}
