/**
 * The Listen block of one call: the player (when any of its audio is still here) and the list of
 * what was played, in order, each item named and, when it is not in the recording, why.
 */
import path from 'node:path';
import type { ListenPart, ListenPlan } from '../../listen';
import { loadCatalogue, type Catalogue } from '../../tts/prompts';
import type { ConsoleContext } from '../context';
import type { Translate } from '../i18n';
import { esc } from '../ui';
import { seconds } from './format';

/** The prompts' words, for the list ("greeting: Hello, this is dozvon…"); read once, optional. */
export class PromptWords {
  private catalogue: Catalogue | null | undefined;

  constructor(private readonly soundsRoot: string) {}

  of(id: string, lang: string): string | null {
    if (this.catalogue === undefined) {
      try {
        this.catalogue = loadCatalogue(path.join(this.soundsRoot, 'catalogue.yaml'));
      } catch {
        this.catalogue = null; // the list still names the prompt; only its words are missing
      }
    }
    const entry = this.catalogue?.prompts[id];
    if (!entry) return null;
    return lang.startsWith('ru') ? entry.ru : entry.en;
  }
}

export function listenBlock(ctx: ConsoleContext, t: Translate, o: { audioUrl: string; attemptId: number; plan: ListenPlan; words: PromptWords }): string {
  const id = `listen-${o.attemptId}`;
  // A cut playback is noted on its last part: somewhere in it, the phone stopped hearing it.
  const lastOfItem = new Map<number, ListenPart>();
  for (const p of o.plan.parts) lastOfItem.set(p.item, p);
  const items = o.plan.parts
    .map((p) => {
      const cut = o.plan.cuts.get(p.item);
      const cutNote = cut !== undefined && lastOfItem.get(p.item) === p ? ` <span class="part-note">— ${esc(t('part.cut', { d: seconds(ctx, cut) }))}</span>` : '';
      return partItem(ctx, t, p, o.words).replace(/<\/li>$/, `${cutNote}</li>`);
    })
    .join('');
  const player = o.plan.playable
    ? `<audio controls preload="none" src="${esc(o.audioUrl)}" aria-labelledby="${id}"></audio><p class="listen-links"><a href="${esc(o.audioUrl)}" download>${esc(t('listen.download'))}</a></p>`
    : `<p class="muted">${esc(t('listen.nothing'))}</p>`;
  return `<div class="listen"><h3 id="${id}">${esc(t('listen.title'))}</h3>${player}<p class="listen-intro">${esc(t('listen.intro'))}</p><ol class="played">${items}</ol></div>`;
}

function partItem(ctx: ConsoleContext, t: Translate, p: ListenPart, words: PromptWords): string {
  const note = statusNote(ctx, t, p);
  const cls = p.status === 'ok' || p.status === 'silence' ? '' : ` class="left-out part-${p.status}"`;
  return `<li${cls}>${name(ctx, t, p, words)}${note ? ` <span class="part-note">— ${esc(note)}</span>` : ''}</li>`;
}

function name(ctx: ConsoleContext, t: Translate, p: ListenPart, words: PromptWords): string {
  const w = p.what;
  switch (w.type) {
    case 'prompt': {
      const said = words.of(w.id, p.lang);
      return `<strong>${esc(w.id)}</strong> <span class="muted">(${esc(t('what.prompt'))}${said ? `: «${esc(said)}»` : ''})</span>`;
    }
    case 'speech':
      return `<strong>${esc(t(w.role === 'summary' ? 'what.summary' : 'what.reply'))}</strong>`;
    case 'number':
    case 'digits':
    case 'digit':
    case 'characters':
      return `<strong>${esc(t(`what.${w.type}`, { v: w.value }))}</strong>`;
    case 'sound':
      return `<strong>${esc(t('what.sound', { v: w.name }))}</strong>`;
    case 'silence':
      return `<strong>${esc(t('what.silence', { d: seconds(ctx, w.ms) }))}</strong>`;
    default:
      return `<strong>${esc(t('what.other'))}</strong> <span class="mono">${esc(w.uri)}</span>`;
  }
}

function statusNote(ctx: ConsoleContext, t: Translate, p: ListenPart): string | null {
  switch (p.status) {
    case 'asterisk':
      return t('part.asterisk', { d: seconds(ctx, p.ms ?? 0) });
    case 'missing':
      return t('part.missing');
    case 'failed':
      return t('part.failed');
    case 'refused':
      return t(p.reason === 'foreign' ? 'part.foreign' : 'part.refused');
    case 'unreadable':
      return t('part.unreadable');
    default:
      return null;
  }
}
