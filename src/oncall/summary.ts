/**
 * What a call says about an incident: "Incident: <title>. Source: <integration>.
 * Host: <fqdn>. <N> alerts, started <relative time>." in English and Russian. Pure: every fact
 * is passed in. Host names stay raw; the TTS layer reads them part by part.
 */
import { relativeTime } from '../core/time';
import type { CorrelationKind } from './correlate';
import type { ParsedMessage } from './parse';
import { plainText } from './text';
import type { AlertGroupState } from './types';
import { alertsWord, incidentsWord, ordinal, sentence, type Lang, type Spoken } from './words';

export interface SummaryFacts {
  alertGroupId: string | null;
  correlation: CorrelationKind;
  title: string | null;
  integration: string | null;
  host: string | null;
  alertsCount: number | null;
  startedAt: number | null;
  state: AlertGroupState | null;
  acknowledgedBy: string | null;
  severity: string | null;
  labels: Record<string, string>;
  permalink: string | null;
  /** The message as OnCall sent it, without links: read when nothing else is known. */
  message: string;
  parsedKind: ParsedMessage['kind'];
}

export interface Summary extends SummaryFacts {
  sentences: Spoken;
}

export function summarize(facts: SummaryFacts, now: number): Summary {
  return { ...facts, sentences: { en: render(facts, now, 'en'), ru: render(facts, now, 'ru') } };
}

const L = {
  incident: { en: 'Incident', ru: 'Инцидент' },
  severity: { en: 'Severity', ru: 'Важность' },
  source: { en: 'Source', ru: 'Источник' },
  host: { en: 'Host', ru: 'Хост' },
  started: { en: 'started', ru: 'начался' },
  ackBy: { en: 'Already acknowledged by', ru: 'Уже подтвердил:' },
  acked: { en: 'Already acknowledged.', ru: 'Уже подтверждён.' },
  resolved: { en: 'Already resolved.', ru: 'Уже решён.' },
  silenced: { en: 'Silenced.', ru: 'Заглушён.' },
};

function render(f: SummaryFacts, now: number, lang: Lang): string {
  const structured = f.alertGroupId !== null || f.parsedKind === 'phone' || f.parsedKind === 'sms' || f.parsedKind === 'sms-legacy';
  if (!structured) return sentence(f.message || L.incident[lang]);
  const parts: string[] = [f.title ? sentence(`${L.incident[lang]}: ${f.title}`) : sentence(L.incident[lang])];
  if (f.severity) parts.push(sentence(`${L.severity[lang]}: ${f.severity}`));
  if (f.integration) parts.push(sentence(`${L.source[lang]}: ${f.integration}`));
  if (f.host) parts.push(sentence(`${L.host[lang]}: ${f.host}`));
  const count = f.alertsCount !== null ? alertsWord(f.alertsCount, lang) : null;
  const started = f.startedAt !== null ? `${L.started[lang]} ${relativeTime(f.startedAt, now, lang)}` : null;
  if (count || started) parts.push(sentence([count, started].filter(Boolean).join(', ')));
  if (f.state === 'acknowledged') parts.push(f.acknowledgedBy ? sentence(`${L.ackBy[lang]} ${f.acknowledgedBy}`) : L.acked[lang]);
  if (f.state === 'resolved') parts.push(L.resolved[lang]);
  if (f.state === 'silenced') parts.push(L.silenced[lang]);
  return parts.join(' ');
}

/** One call for several incidents: "You have 3 incidents. First: … Second: …". */
export function bundleSentences(summaries: Summary[], lang: Lang): string {
  if (summaries.length === 0) return '';
  if (summaries.length === 1) return summaries[0].sentences[lang];
  const head = lang === 'ru' ? `У вас ${incidentsWord(summaries.length, lang)}.` : `You have ${incidentsWord(summaries.length, lang)}.`;
  return [head, ...summaries.map((s, i) => `${ordinal(i, lang)}: ${s.sentences[lang]}`)].join(' ');
}

/** Facts from a message alone (no OnCall, or nothing correlated). */
export function factsFromMessage(parsed: ParsedMessage, correlation: CorrelationKind, host: string | null): SummaryFacts {
  return {
    alertGroupId: parsed.alertGroupId && correlation !== 'none' ? parsed.alertGroupId : null,
    correlation,
    title: parsed.title !== null ? plainText(parsed.title) || null : null,
    integration: parsed.integration !== null ? plainText(parsed.integration) || parsed.integration : null,
    host,
    alertsCount: parsed.alertCount,
    startedAt: null,
    state: null,
    acknowledgedBy: null,
    severity: null,
    labels: {},
    permalink: parsed.permalink,
    message: plainText(parsed.raw),
    parsedKind: parsed.kind,
  };
}
