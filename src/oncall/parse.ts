/**
 * Reads what OnCall's make_call / send_sms messages say (its phone and SMS renderers' templates). Always parse the
 * raw text, before markup cleaning or speech normalisation: the regexes rely on exact spacing
 * and quotes, and titles may contain quotes, newlines and emoji codes.
 */

export type MessageKind = 'phone' | 'sms' | 'sms-bundle' | 'sms-legacy' | 'custom';

export interface ParsedMessage {
  kind: MessageKind;
  /** The alert group's pk when the message carries a permalink or a bare pk. */
  alertGroupId: string | null;
  title: string | null;
  /** The integration's short name as OnCall printed it (e.g. "Prod - Formatted webhook"). */
  integration: string | null;
  alertCount: number | null;
  /** The per-organisation `#N` numbers (SMS only; not resolvable through the public API). */
  numbers: number[];
  /** Bundle: how many groups beyond the listed numbers ("and N more"). */
  moreGroups: number;
  /** Bundle: how many integrations beyond the first ("and N more"). */
  moreIntegrations: number;
  stack: string | null;
  permalink: string | null;
  raw: string;
}

const PHONE =
  /^You are invited to check an (?:Alert Group|incident) from Grafana OnCall\. Alert via (?<integration>[\s\S]*?) with title (?<title>[\s\S]*) triggered (?<count>\d+) times$/;
const SMS =
  /^Grafana OnCall: Alert group #(?<number>\d+)"(?<title>[\s\S]*)" from stack: "(?<stack>[^"]*)", integration: (?<integration>[\s\S]*), alerts registered: (?<count>\d+)\.$/;
const BUNDLE =
  /^Grafana OnCall: Alert groups? (?<numbers>#\d+(?:, #\d+)*)(?: and (?<more>\d+) more)? from stack: (?<stack>.*?), integrations?: (?<integrations>[\s\S]*)\.$/;
const LEGACY_SMS =
  /^You are invited to check an incident #(?<number>\d+) with title "(?<title>[\s\S]*)" in Grafana OnCall organization: "(?<stack>[^"]*)", alert channel: (?<integration>[\s\S]*), alerts registered: (?<count>\d+), (?<link>\S+)\nYour Grafana OnCall <3$/;

const PK = 'I[A-NP-Z1-9]{12,16}';
/** Web permalinks (current and pre-1.2.10), as a whole URL so it can be cut out before speech. */
const PERMALINK = new RegExp(`(?:https?://\\S*?)?/a/grafana-(?:oncall|irm)-app/alert-groups/(${PK})\\b\\S*`);
const LEGACY_PERMALINK = new RegExp(`(?:https?://\\S*?)?[?&]page=incident&id=(${PK})\\b\\S*`);
// A bare pk must contain a digit, so shouted words such as INFRASTRUCTURE are not taken for one
// (about 2.5% of real pks have no digit; those need the permalink form).
const BARE_PK = new RegExp(`(?<![A-Za-z0-9])(?=I[A-Z]*[1-9])(${PK})(?![A-Za-z0-9])`);

export function parseMessage(raw: string): ParsedMessage {
  const base: ParsedMessage = {
    kind: 'custom',
    alertGroupId: null,
    title: null,
    integration: null,
    alertCount: null,
    numbers: [],
    moreGroups: 0,
    moreIntegrations: 0,
    stack: null,
    permalink: null,
    raw,
  };
  const link = findAlertGroupLink(raw);
  if (link) Object.assign(base, { alertGroupId: link.pk, permalink: link.url });
  return parseTemplate(raw, base);
}

function parseTemplate(raw: string, base: ParsedMessage): ParsedMessage {
  let m = PHONE.exec(raw);
  if (m?.groups) {
    return { ...base, kind: 'phone', integration: m.groups.integration, title: m.groups.title, alertCount: Number(m.groups.count) };
  }
  m = SMS.exec(raw);
  if (m?.groups) {
    const g = m.groups;
    return {
      ...base,
      kind: 'sms',
      numbers: [Number(g.number)],
      title: g.title,
      stack: g.stack,
      integration: g.integration,
      alertCount: Number(g.count),
    };
  }
  m = BUNDLE.exec(raw);
  if (m?.groups) {
    const g = m.groups;
    const numbers = [...g.numbers.matchAll(/#(\d+)/g)].map((x) => Number(x[1]));
    const more = /^(?<first>[\s\S]*) and (?<n>\d+) more$/.exec(g.integrations);
    return {
      ...base,
      kind: 'sms-bundle',
      numbers,
      moreGroups: g.more ? Number(g.more) : 0,
      stack: g.stack,
      integration: more?.groups ? more.groups.first : g.integrations,
      moreIntegrations: more?.groups ? Number(more.groups.n) : 0,
    };
  }
  m = LEGACY_SMS.exec(raw);
  if (m?.groups) {
    const g = m.groups;
    const link = base.permalink ?? g.link;
    return {
      ...base,
      kind: 'sms-legacy',
      numbers: [Number(g.number)],
      title: g.title,
      stack: g.stack,
      integration: g.integration,
      alertCount: Number(g.count),
      permalink: link,
    };
  }
  return base;
}

/** The first alert-group permalink or bare pk anywhere in the text. */
export function findAlertGroupLink(text: string): { pk: string; url: string | null } | null {
  for (const re of [PERMALINK, LEGACY_PERMALINK]) {
    const m = re.exec(text);
    if (m) return { pk: m[1], url: m[0] };
  }
  const bare = BARE_PK.exec(text);
  return bare ? { pk: bare[1], url: null } : null;
}

/**
 * The text without alert-group links and pks (and the "ref"/"link:" word a template put in
 * front of them), for reading aloud.
 */
export function stripAlertGroupLinks(text: string): string {
  const any = new RegExp(
    `(?:\\s*\\b(?:[Rr]ef|[Ll]ink|URL|url)\\b:?)?\\s*(?:${PERMALINK.source}|${LEGACY_PERMALINK.source}|${BARE_PK.source})`,
    'g',
  );
  return text
    .replace(any, '')
    .replace(/[ \t]{2,}/g, ' ')
    .trim();
}
