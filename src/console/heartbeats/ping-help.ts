/**
 * The ways a sender can ping one heartbeat, as ready-to-paste text: the URLs of the real routes
 * (src/heartbeats-api: Opsgenie `/v2/heartbeats/<name>/ping`, healthchecks `/ping/<key>/<name>…`,
 * the Alertmanager receiver `/api/v1/alertmanager`), curl lines, a cron line matched to the
 * period and an Alertmanager receiver block. Pure: the page decides what to show.
 */
import { toYaml } from '../../core/yaml';
import { formatSeconds } from '../../watchers/duration';

/** Which of DOZVON_HEARTBEAT_KEYS the snippets carry (1-based, as the page says it). */
export interface PingKey {
  index: number;
  count: number;
  value: string;
}

/** Key number `requested` (a query value, "1" when absent), or null when no key is configured. */
export function pickKey(keys: readonly string[], requested: unknown): PingKey | null {
  if (keys.length === 0) return null;
  const n = typeof requested === 'string' && /^\d{1,3}$/.test(requested) ? Number(requested) : 1;
  const index = n >= 1 && n <= keys.length ? n : 1;
  return { index, count: keys.length, value: keys[index - 1] };
}

export interface CronPlan {
  /** The five cron fields. */
  schedule: string;
  /** The longest gap between two runs, never more than the period. */
  gapS: number;
}

/** The coarsest cron schedule that still pings at least once per period; null below a minute. */
export function cronFor(periodS: number): CronPlan | null {
  if (periodS < 60) return null;
  if (periodS < 3600) {
    const m = Math.floor(periodS / 60);
    return { schedule: m === 1 ? '* * * * *' : `*/${m} * * * *`, gapS: m * 60 };
  }
  if (periodS < 86_400) {
    const h = Math.floor(periodS / 3600);
    return { schedule: h === 1 ? '0 * * * *' : `0 */${h} * * *`, gapS: h * 3600 };
  }
  if (periodS < 7 * 86_400) {
    const d = Math.floor(periodS / 86_400);
    return { schedule: d === 1 ? '0 0 * * *' : `0 0 */${d} * *`, gapS: d * 86_400 };
  }
  return { schedule: '0 0 * * 0', gapS: 7 * 86_400 };
}

/** How often Alertmanager should repeat the Watchdog: a minute, or half the period when that is shorter. */
export function watchdogRepeatS(periodS: number): number {
  return Math.max(1, Math.min(60, Math.floor(periodS / 2)));
}

/** A word the shell passes through unchanged: bare when safe, else single-quoted. */
export function shellQuote(s: string): string {
  return /^[A-Za-z0-9_\-.,:/@%+=~]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

/** cron turns a bare `%` into a newline, even inside quotes. */
function cronEscape(line: string): string {
  return line.replace(/%/g, '\\%');
}

const CURL = 'curl -fsS -m 10 --retry 3';

export interface PingStyles {
  opsgenie: { url: string; curl: string };
  healthchecks: { url: string; fail: string; start: string; curl: string; failCurl: string; startCurl: string; exitCurl: string };
  alertmanager: { url: string; receiver: string; repeat: string; yaml: string; testCurl: string };
  cron: { plan: CronPlan; line: string } | null;
  /** For periods under a minute, which cron cannot keep. */
  loop: string;
}

/** Every style for heartbeat `name`, under the public URL, carrying `key`. */
export function pingStyles(publicUrl: string, name: string, key: string, periodS: number): PingStyles {
  const base = publicUrl.endsWith('/') ? publicUrl : `${publicUrl}/`;
  const n = encodeURIComponent(name);
  const opsgenieUrl = `${base}v2/heartbeats/${n}/ping`;
  const hc = `${base}ping/${encodeURIComponent(key)}/${n}`;
  const amUrl = `${base}api/v1/alertmanager?heartbeat=${n}`;
  const receiver = `dozvon-${slug(name)}`;
  const repeat = formatSeconds(watchdogRepeatS(periodS));
  const yaml = toYaml({
    route: {
      routes: [{ matchers: ['alertname = "Watchdog"'], receiver, group_wait: '0s', group_interval: repeat, repeat_interval: repeat }],
    },
    receivers: [
      {
        name: receiver,
        webhook_configs: [{ url: amUrl, send_resolved: false, http_config: { authorization: { type: 'Bearer', credentials: key } } }],
      },
    ],
  });
  const sample = JSON.stringify({
    version: '4',
    receiver,
    status: 'firing',
    alerts: [{ status: 'firing', labels: { alertname: 'Watchdog' } }],
  });
  const plan = cronFor(periodS);
  return {
    opsgenie: { url: opsgenieUrl, curl: `${CURL} -H ${shellQuote(`Authorization: GenieKey ${key}`)} ${shellQuote(opsgenieUrl)}` },
    healthchecks: {
      url: hc,
      fail: `${hc}/fail`,
      start: `${hc}/start`,
      curl: `${CURL} ${shellQuote(hc)}`,
      failCurl: `${CURL} ${shellQuote(`${hc}/fail`)}`,
      startCurl: `${CURL} ${shellQuote(`${hc}/start`)}`,
      // `$?` must stay outside the quotes so the shell expands it to the job's exit status.
      exitCurl: `/path/to/job; ${CURL} ${shellQuote(`${hc}/`)}$?`,
    },
    alertmanager: {
      url: amUrl,
      receiver,
      repeat,
      yaml,
      testCurl: `${CURL} -H ${shellQuote(`Authorization: Bearer ${key}`)} -H 'Content-Type: application/json' -d ${shellQuote(sample)} ${shellQuote(amUrl)}`,
    },
    cron: plan ? { plan, line: cronEscape(`${plan.schedule} ${CURL} ${shellQuote(hc)} >/dev/null`) } : null,
    loop: `while true; do ${CURL} ${shellQuote(hc)} >/dev/null; sleep ${Math.max(1, Math.floor(periodS / 2))}; done`,
  };
}

/** A receiver name Alertmanager accepts and a reader recognises. */
function slug(name: string): string {
  const s = name
    .toLowerCase()
    .replace(/[^a-z0-9_.-]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60);
  return s || 'heartbeat';
}
