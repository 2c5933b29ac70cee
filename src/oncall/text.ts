/** Text clean-up shared by correlation and speech: OnCall titles are raw Jinja/markdown output. */
import { stripAlertGroupLinks } from './parse';

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'", apos: "'", nbsp: ' ' };

/** Markdown and HTML reduced to plain words; links kept as their text. Underscores inside words survive (host names). */
export function plainText(s: string): string {
  return (
    stripAlertGroupLinks(s)
      .replace(/&(amp|lt|gt|quot|#39|apos|nbsp);/g, (_, e: string) => ENTITIES[e])
      .replace(/<[^>]{1,200}>/g, ' ')
      .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1')
      .replace(/^\s{0,3}(?:#{1,6}|>|[-*+]\s)\s*/gm, '')
      .replace(/(\*\*|__|\*|`+|~~)(?=\S)([^*`~]*?\S)\1/g, '$2')
      // Slack-style emoji codes (:fire:), which TTS would spell out; times like 12:30:45 have no letter.
      .replace(/:(?=[a-z0-9_+-]*[a-z])[a-z0-9_+-]{1,40}:/g, ' ')
      .replace(/\s+/g, ' ')
      .trim()
  );
}

/** A comparison key for titles: OnCall's phone title drops every `"` and runs clean_markup. */
export function titleKey(s: string | null | undefined): string {
  if (!s) return '';
  return plainText(s)
    .replace(/["*_`]/g, '')
    .replace(/\s+/g, ' ')
    .trim()
    .toLowerCase();
}
