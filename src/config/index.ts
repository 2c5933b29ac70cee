/**
 * The only reader of process.env. Settings come from DOZVON_* variables, optionally from a
 * YAML file named by DOZVON_CONFIG (environment wins). Validated once at start; a bad value
 * stops the process with a message naming the variable. The result is frozen.
 */
import { readFileSync } from 'node:fs';
import { SETTINGS, SettingSpec } from './env-schema';
import { ConfigError, parseSetting, SettingValue } from './parse';
import { sectionsSchema, Sections } from './sections';
import { parseYaml } from '../core/yaml';
import { describeIssues } from '../core/validate';
import { maskSecret, maskSecretList } from '../core/mask';
import { checkSecrets } from './secrets';
import { isIP } from 'node:net';
import type { DbConfig } from '../db/knex';
import type { TtsConfig } from '../tts/index';

export { ConfigError };

export interface Config {
  listen: { host: string; port: number };
  publicUrl: string;
  db: DbConfig;
  sqliteSync: 'FULL' | 'NORMAL';
  cloudTokens: readonly string[];
  adminToken: string | null;
  oncall: { url: string; token: string } | null;
  ari: { urls: readonly string[]; user: string; password: string; app: string };
  /** How long voice pages wait while no Asterisk is connected before falling back (DOZVON_TELEPHONY_WAIT_MS). */
  telephonyWaitMs: number;
  dialTemplate: string;
  callerId: string;
  tts: TtsConfig;
  lang: 'en' | 'ru';
  heartbeatKeys: readonly string[];
  linkSecret: string | null;
  fqdnRegex: RegExp;
  hotlinePublic: boolean;
  peerUrl: string | null;
  /** Express "trust proxy": false, a hop count, or the proxies' addresses (DOZVON_TRUST_PROXY). */
  trustProxy: false | number | readonly string[];
  limits: { dailyCalls: number; dailySms: number; maxCalls: number; originatesPerSecond: number };
  leases: { pageMs: number; clusterMs: number };
  logLevel: string;
  sections: Sections;
  /** Where each setting came from, for `dozvon config`. */
  sources: Readonly<Record<string, 'env' | 'file' | 'default'>>;
}

export interface LoadOptions {
  env?: NodeJS.ProcessEnv;
  readFile?: (path: string) => string;
}

export function loadConfig(opts: LoadOptions = {}): Config {
  const env = opts.env ?? process.env;
  const readFile = opts.readFile ?? ((p: string) => readFileSync(p, 'utf8'));
  let file: Record<string, unknown> = {};
  const filePath = env.DOZVON_CONFIG;
  if (filePath) {
    let text: string;
    try {
      text = readFile(filePath);
    } catch (e) {
      throw new ConfigError('DOZVON_CONFIG', `cannot read ${filePath}: ${(e as Error).message}`);
    }
    const parsed = parseYaml(text, filePath);
    if (parsed !== null && parsed !== undefined && (typeof parsed !== 'object' || Array.isArray(parsed))) {
      throw new ConfigError('DOZVON_CONFIG', `${filePath} must hold a mapping of settings`);
    }
    file = (parsed ?? {}) as Record<string, unknown>;
  }
  const known = new Set(SETTINGS.map((s) => s.name));
  for (const key of Object.keys(env)) {
    if (key.startsWith('DOZVON_') && key !== 'DOZVON_CONFIG' && !known.has(key)) {
      throw new ConfigError(key, `unknown setting (known: ${[...known].join(', ')})`);
    }
  }
  const values: Record<string, SettingValue> = {};
  const sources: Record<string, 'env' | 'file' | 'default'> = {};
  for (const spec of SETTINGS) {
    const [raw, source] = pick(spec, env, file);
    values[spec.name] = parseSetting(spec, raw);
    sources[spec.name] = source;
  }
  const sectionInput = Object.fromEntries(Object.entries(file).filter(([k]) => !k.startsWith('DOZVON_')));
  const sections = sectionsSchema.safeParse(sectionInput);
  if (!sections.success) throw new ConfigError('DOZVON_CONFIG', describeIssues(sections.error));
  return Object.freeze(assemble(values, sections.data, sources));
}

function pick(spec: SettingSpec, env: NodeJS.ProcessEnv, file: Record<string, unknown>): [string, 'env' | 'file' | 'default'] {
  const fromEnv = env[spec.name];
  if (fromEnv !== undefined) return [fromEnv, 'env'];
  const fromFile = file[spec.name];
  if (fromFile !== undefined && fromFile !== null) {
    if (Array.isArray(fromFile)) return [fromFile.map(String).join(','), 'file'];
    if (typeof fromFile === 'object') throw new ConfigError(spec.name, 'must be a plain value in the config file');
    return [String(fromFile), 'file'];
  }
  return [spec.default ?? '', 'default'];
}

function assemble(v: Record<string, SettingValue>, sections: Sections, sources: Record<string, 'env' | 'file' | 'default'>): Config {
  const str = (k: string) => v[k] as string;
  const [host, port] = splitListen(str('DOZVON_LISTEN'));
  const publicUrl = str('DOZVON_PUBLIC_URL') || `http://${str('DOZVON_LISTEN')}/`;
  const oncallUrl = str('DOZVON_ONCALL_URL');
  const oncallToken = str('DOZVON_ONCALL_TOKEN');
  if (oncallUrl && !oncallToken) throw new ConfigError('DOZVON_ONCALL_TOKEN', 'required when DOZVON_ONCALL_URL is set');
  const ariUrls = v.DOZVON_ARI_URL as string[];
  for (const u of ariUrls) {
    try {
      new URL(u);
    } catch {
      throw new ConfigError('DOZVON_ARI_URL', `"${u}" is not a URL (expected http://asterisk:8088)`);
    }
  }
  if (!str('DOZVON_DIAL_TEMPLATE').includes('{number}')) throw new ConfigError('DOZVON_DIAL_TEMPLATE', 'must contain {number}');
  const list = (k: string) => v[k] as string[];
  const one = (k: string) => (str(k) ? [str(k)] : []);
  checkSecrets({
    DOZVON_ADMIN_TOKEN: one('DOZVON_ADMIN_TOKEN'),
    DOZVON_CLOUD_TOKENS: list('DOZVON_CLOUD_TOKENS'),
    DOZVON_HEARTBEAT_KEYS: list('DOZVON_HEARTBEAT_KEYS'),
    DOZVON_LINK_SECRET: one('DOZVON_LINK_SECRET'),
    DOZVON_ARI_PASSWORD: one('DOZVON_ARI_PASSWORD'),
    DOZVON_ONCALL_TOKEN: one('DOZVON_ONCALL_TOKEN'),
  });
  if (!/^[A-Za-z0-9_-]+$/.test(str('DOZVON_ARI_APP')))
    throw new ConfigError('DOZVON_ARI_APP', 'letters, digits, _ and - only (it becomes a Stasis app name)');
  const dbRaw = str('DOZVON_DB');
  const db: DbConfig = dbRaw.startsWith('sqlite:')
    ? { client: 'sqlite', filename: dbRaw.slice('sqlite:'.length) }
    : { client: 'pg', connection: dbRaw };
  return {
    listen: { host, port },
    publicUrl: publicUrl.endsWith('/') ? publicUrl : publicUrl + '/',
    db,
    sqliteSync: str('DOZVON_SQLITE_SYNC') as 'FULL' | 'NORMAL',
    cloudTokens: Object.freeze([...(v.DOZVON_CLOUD_TOKENS as string[])]),
    adminToken: str('DOZVON_ADMIN_TOKEN') || null,
    oncall: oncallUrl ? { url: oncallUrl, token: oncallToken } : null,
    ari: {
      urls: Object.freeze([...ariUrls]),
      user: str('DOZVON_ARI_USER'),
      password: str('DOZVON_ARI_PASSWORD'),
      app: str('DOZVON_ARI_APP'),
    },
    telephonyWaitMs: v.DOZVON_TELEPHONY_WAIT_MS as number,
    dialTemplate: str('DOZVON_DIAL_TEMPLATE'),
    callerId: str('DOZVON_CALLER_ID'),
    tts: {
      engine: str('DOZVON_TTS') as 'google' | 'espeak' | 'none',
      googleHost: str('DOZVON_TTS_GOOGLE_HOST') || null,
      delivery: str('DOZVON_TTS_DELIVERY') as 'http' | 'dir',
      dir: str('DOZVON_TTS_DIR'),
    },
    lang: str('DOZVON_LANG') as 'en' | 'ru',
    heartbeatKeys: Object.freeze([...(v.DOZVON_HEARTBEAT_KEYS as string[])]),
    linkSecret: str('DOZVON_LINK_SECRET') || null,
    fqdnRegex: v.DOZVON_FQDN_REGEX as RegExp,
    hotlinePublic: v.DOZVON_HOTLINE_PUBLIC as boolean,
    peerUrl: str('DOZVON_PEER_URL') || null,
    trustProxy: parseTrustProxy(str('DOZVON_TRUST_PROXY')),
    limits: {
      dailyCalls: v.DOZVON_DAILY_LIMIT_CALLS as number,
      dailySms: v.DOZVON_DAILY_LIMIT_SMS as number,
      maxCalls: v.DOZVON_MAX_CALLS as number,
      originatesPerSecond: v.DOZVON_ORIGINATES_PER_SECOND as number,
    },
    leases: { pageMs: v.DOZVON_LEASE_MS as number, clusterMs: v.DOZVON_CLUSTER_LEASE_MS as number },
    logLevel: str('DOZVON_LOG_LEVEL'),
    sections,
    sources: Object.freeze(sources),
  };
}

/**
 * "" (no proxy), a hop count ("1"), or proxy addresses/CIDRs and Express's names
 * (loopback, linklocal, uniquelocal). Not "true": anyone could then pick their own address.
 */
function parseTrustProxy(raw: string): false | number | readonly string[] {
  const v = raw.trim();
  if (v === '' || /^(false|0)$/i.test(v)) return false;
  if (/^\d{1,2}$/.test(v)) return Number(v);
  const parts = v
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean);
  for (const p of parts) {
    const [addr, bits] = p.split('/');
    const named = ['loopback', 'linklocal', 'uniquelocal'].includes(p);
    const cidrOk = bits === undefined || (/^\d{1,3}$/.test(bits) && Number(bits) <= (isIP(addr) === 6 ? 128 : 32));
    if (!named && (!isIP(addr) || !cidrOk)) {
      throw new ConfigError('DOZVON_TRUST_PROXY', `"${p}" is not a hop count, an address, a CIDR, or loopback/linklocal/uniquelocal`);
    }
  }
  return Object.freeze(parts);
}

function splitListen(listen: string): [string, number] {
  const i = listen.lastIndexOf(':');
  return [listen.slice(0, i).replace(/^\[|\]$/g, ''), Number(listen.slice(i + 1))];
}

/** The effective config as `dozvon config` prints it: secrets masked, every setting named. */
export function describeConfig(config: Config): Record<string, { value: string; source: string }> {
  const out: Record<string, { value: string; source: string }> = {};
  const raw = rawValues(config);
  for (const spec of SETTINGS) {
    let value = raw[spec.name] ?? '';
    if (spec.kind === 'secret') value = maskSecret(value);
    if (spec.kind === 'secret-list') value = maskSecretList(value);
    if (spec.kind === 'db') value = value.replace(/\/\/([^:@/]+):[^@/]*@/, '//$1:****@');
    out[spec.name] = { value, source: config.sources[spec.name] ?? 'default' };
  }
  return out;
}

function rawValues(c: Config): Record<string, string> {
  return {
    DOZVON_LISTEN: `${c.listen.host.includes(':') ? `[${c.listen.host}]` : c.listen.host}:${c.listen.port}`,
    DOZVON_PUBLIC_URL: c.publicUrl,
    DOZVON_DB: c.db.client === 'sqlite' ? `sqlite:${c.db.filename}` : c.db.connection,
    DOZVON_CLOUD_TOKENS: c.cloudTokens.join(','),
    DOZVON_ADMIN_TOKEN: c.adminToken ?? '',
    DOZVON_ONCALL_URL: c.oncall?.url ?? '',
    DOZVON_ONCALL_TOKEN: c.oncall?.token ?? '',
    DOZVON_ARI_URL: c.ari.urls.join(','),
    DOZVON_ARI_USER: c.ari.user,
    DOZVON_ARI_PASSWORD: c.ari.password,
    DOZVON_ARI_APP: c.ari.app,
    DOZVON_TELEPHONY_WAIT_MS: String(c.telephonyWaitMs),
    DOZVON_DIAL_TEMPLATE: c.dialTemplate,
    DOZVON_CALLER_ID: c.callerId,
    DOZVON_TTS: c.tts.engine,
    DOZVON_TTS_GOOGLE_HOST: c.tts.googleHost ?? '',
    DOZVON_TTS_DELIVERY: c.tts.delivery,
    DOZVON_TTS_DIR: c.tts.dir,
    DOZVON_LANG: c.lang,
    DOZVON_HEARTBEAT_KEYS: c.heartbeatKeys.join(','),
    DOZVON_LINK_SECRET: c.linkSecret ?? '',
    DOZVON_FQDN_REGEX: c.fqdnRegex.source,
    DOZVON_HOTLINE_PUBLIC: String(c.hotlinePublic),
    DOZVON_PEER_URL: c.peerUrl ?? '',
    DOZVON_TRUST_PROXY: c.trustProxy === false ? '' : Array.isArray(c.trustProxy) ? c.trustProxy.join(',') : String(c.trustProxy),
    DOZVON_DAILY_LIMIT_CALLS: String(c.limits.dailyCalls),
    DOZVON_DAILY_LIMIT_SMS: String(c.limits.dailySms),
    DOZVON_MAX_CALLS: String(c.limits.maxCalls),
    DOZVON_ORIGINATES_PER_SECOND: String(c.limits.originatesPerSecond),
    DOZVON_LEASE_MS: String(c.leases.pageMs),
    DOZVON_CLUSTER_LEASE_MS: String(c.leases.clusterMs),
    DOZVON_LOG_LEVEL: c.logLevel,
    DOZVON_SQLITE_SYNC: c.sqliteSync,
  };
}
