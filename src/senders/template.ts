/**
 * `{{placeholder}}` substitution for operator-written URLs, headers and bodies. Deliberately
 * tiny: no expressions, no eval, only names from a fixed list, each value escaped for the
 * place it lands in (URL component, JSON string, header, plain text).
 */
import type { OutboundMessage } from './types';

export const PLACEHOLDERS = ['to', 'text', 'message', 'title', 'priority', 'ack_url', 'alert_group_id', 'email', 'name'] as const;
export type Placeholder = (typeof PLACEHOLDERS)[number];
export type TemplateValues = Record<Placeholder, string>;
export type Escaping = 'url' | 'json' | 'form' | 'header' | 'none';

const PATTERN = /\{\{\s*([a-z_]+)\s*\}\}/g;

/** Names used in a template that are not placeholders; empty when the template is fine. */
export function unknownPlaceholders(template: string): string[] {
  const bad: string[] = [];
  for (const m of template.matchAll(PATTERN)) {
    if (!(PLACEHOLDERS as readonly string[]).includes(m[1])) bad.push(m[1]);
  }
  return bad;
}

export function render(template: string, values: TemplateValues, escaping: Escaping): string {
  return template.replace(PATTERN, (whole, name: string) => {
    if (!(PLACEHOLDERS as readonly string[]).includes(name)) return whole;
    return escapeFor(values[name as Placeholder] ?? '', escaping);
  });
}

function escapeFor(v: string, escaping: Escaping): string {
  switch (escaping) {
    case 'url':
      return encodeURIComponent(v);
    case 'form':
      return encodeURIComponent(v).replace(/%20/g, '+');
    case 'json':
      // The template writes the quotes: "text": "{{text}}".
      return JSON.stringify(v).slice(1, -1);
    case 'header':
      // A newline in a header value would start a new header.
      return v.replace(/[\r\n]+/g, ' ');
    case 'none':
      return v;
  }
}

/** Renders every string inside a YAML-given object body; the caller serialises it. */
export function renderDeep(value: unknown, values: TemplateValues): unknown {
  if (typeof value === 'string') return render(value, values, 'none');
  if (Array.isArray(value)) return value.map((v) => renderDeep(v, values));
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, renderDeep(v, values)]));
  }
  return value;
}

/** Unknown placeholders anywhere inside an object body. */
export function unknownPlaceholdersDeep(value: unknown): string[] {
  if (typeof value === 'string') return unknownPlaceholders(value);
  if (Array.isArray(value)) return value.flatMap(unknownPlaceholdersDeep);
  if (value && typeof value === 'object') return Object.values(value).flatMap(unknownPlaceholdersDeep);
  return [];
}

/** The text a person reads: the message plus the acknowledge link when there is one. */
export function withAckLink(msg: OutboundMessage): string {
  if (!msg.ackUrl || msg.text.includes(msg.ackUrl)) return msg.text;
  return `${msg.text}\nAck: ${msg.ackUrl}`;
}

export function templateValues(msg: OutboundMessage, to: string): TemplateValues {
  return {
    to,
    text: withAckLink(msg),
    message: msg.text,
    title: msg.title ?? '',
    priority: msg.priority,
    ack_url: msg.ackUrl ?? '',
    alert_group_id: msg.alertGroupId ?? '',
    email: msg.to.email,
    name: msg.to.name,
  };
}
