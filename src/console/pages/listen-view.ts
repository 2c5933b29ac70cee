/**
 * The Listen block of one call: the player (when any of its audio is still here) and the list of
 * what was played, in order, each item named and, when it is not in the recording, why.
 */
import path from 'node:path';
import type { ListenPart, ListenPlan } from '../../listen';
import { loadCatalogue, type Catalogue } from '../../tts/prompts';
import type { ConsoleContext } from '../context';
import type { Words as Translate } from './texts';
import { seconds } from './format';
import { html, type Html } from '../../web/html';

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

export function listenBlock(
  ctx: ConsoleContext,
  t: Translate,
  o: { audioUrl: string; attemptId: number; plan: ListenPlan; words: PromptWords },
): Html {
  const id = `listen-${o.attemptId}`;
  // A cut playback is noted on its last part: somewhere in it, the phone stopped hearing it.
  const lastOfItem = new Map<number, ListenPart>();
  for (const p of o.plan.parts) lastOfItem.set(p.item, p);
  const items = o.plan.parts.map((p) => {
    const cut = o.plan.cuts.get(p.item);
    const cutNote =
      cut !== undefined && lastOfItem.get(p.item) === p
        ? html` <span class="part-note">— ${t('part.cut', { d: seconds(ctx, cut) })}</span>`
        : null;
    return partItem(ctx, t, p, o.words, cutNote);
  });
  const player = o.plan.playable
    ? html`<audio controls preload="none" src="${o.audioUrl}" aria-labelledby="${id}"></audio><p class="listen-links"><a href="${o.audioUrl}" download>${t('listen.download')}</a></p>`
    : html`<p class="muted">${t('listen.nothing')}</p>`;
  return html`<div class="listen"><h3 id="${id}">${t('listen.title')}</h3>${player}<p class="listen-intro">${t('listen.intro')}</p><ol class="played">${items}</ol></div>`;
}

function partItem(ctx: ConsoleContext, t: Translate, p: ListenPart, words: PromptWords, cutNote: Html | null): Html {
  const note = statusNote(ctx, t, p);
  const cls = p.status === 'ok' || p.status === 'silence' ? null : html` class="left-out part-${p.status}"`;
  return html`<li${cls}>${name(ctx, t, p, words)}${note ? html` <span class="part-note">— ${note}</span>` : null}${cutNote}</li>`;
}

function name(ctx: ConsoleContext, t: Translate, p: ListenPart, words: PromptWords): Html {
  const w = p.what;
  switch (w.type) {
    case 'prompt': {
      const said = words.of(w.id, p.lang);
      return html`<strong>${w.id}</strong> <span class="muted">(${t('what.prompt')}${said ? `: «${said}»` : ''})</span>`;
    }
    case 'speech':
      return html`<strong>${t(w.role === 'summary' ? 'what.summary' : 'what.reply')}</strong>`;
    case 'number':
    case 'digits':
    case 'digit':
    case 'characters':
      return html`<strong>${t(`what.${w.type}`, { v: w.value })}</strong>`;
    case 'sound':
      return html`<strong>${t('what.sound', { v: w.name })}</strong>`;
    case 'silence':
      return html`<strong>${t('what.silence', { d: seconds(ctx, w.ms) })}</strong>`;
    default:
      return html`<strong>${t('what.other')}</strong> <span class="mono">${w.uri}</span>`;
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
