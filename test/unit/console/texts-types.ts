/**
 * Compile-time proof that translation keys are typed. tsc checks test/ too, and a
 * `@ts-expect-error` line that compiles is itself an error.
 */
import { dict, translator } from '../../../src/console/i18n';
import { words } from '../../../src/console/ui';
import { TEXTS as HEARTBEATS } from '../../../src/console/heartbeats/texts';
import type { ConsoleContext } from '../../../src/console/context';

// @ts-expect-error a key missing in Russian
export const missing = dict({ a: 'A', b: 'B' }, { a: 'А' });

// @ts-expect-error a Russian key English does not have
export const extra = dict({ a: 'A' }, { a: 'А', typo: 'Т' });

const t = translator('en', dict({ 'x.y': 'X' }, { 'x.y': 'Х' }));
// @ts-expect-error a key no dictionary has
export const unknown = t('x.z');
export const known = t('x.y');

export function onAPage(ctx: ConsoleContext): string[] {
  const hb = words(ctx, HEARTBEATS);
  // @ts-expect-error a typo in a common key
  const typo = ctx.t('nav.hom');
  // @ts-expect-error a typo in an area's key
  const areaTypo = hb('list.nwe');
  return [typo, areaTypo, ctx.t('nav.home'), hb('list.new'), hb('nav.home')];
}
