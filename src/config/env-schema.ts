/**
 * Every DOZVON_* setting, with its default and validation. The README's configuration
 * table is checked against this list by a test, so the two cannot drift apart.
 */
export type SettingKind = 'string' | 'url' | 'listen' | 'db' | 'list' | 'int' | 'bool' | 'enum' | 'regex' | 'secret' | 'secret-list';

export interface SettingSpec {
  name: string;
  kind: SettingKind;
  default?: string;
  values?: readonly string[];
  min?: number;
  max?: number;
  help: string;
}

export const SETTINGS: readonly SettingSpec[] = [
  { name: 'DOZVON_LISTEN', kind: 'listen', default: '127.0.0.1:8080', help: 'HTTP listen address host:port' },
  { name: 'DOZVON_PUBLIC_URL', kind: 'url', default: '', help: 'base URL others use to reach us (default http://<DOZVON_LISTEN>/)' },
  { name: 'DOZVON_DB', kind: 'db', default: 'sqlite:./data/dozvon.sqlite', help: 'sqlite:PATH or postgres://…' },
  {
    name: 'DOZVON_CLOUD_TOKENS',
    kind: 'secret-list',
    default: '',
    help: 'tokens accepted from OnCall (raw Authorization header; 16+ characters, not shared with another setting)',
  },
  {
    name: 'DOZVON_ADMIN_TOKEN',
    kind: 'secret',
    default: '',
    help: 'bearer token for the admin API and status page (16+ characters, not shared)',
  },
  { name: 'DOZVON_ONCALL_URL', kind: 'url', default: '', help: 'OnCall engine base URL (public API)' },
  { name: 'DOZVON_ONCALL_TOKEN', kind: 'secret', default: '', help: 'OnCall user API token' },
  { name: 'DOZVON_ARI_URL', kind: 'list', default: '', help: 'Asterisk ARI base URL(s), comma-separated' },
  { name: 'DOZVON_ARI_USER', kind: 'string', default: 'dozvon', help: 'ARI user' },
  { name: 'DOZVON_ARI_PASSWORD', kind: 'secret', default: '', help: 'ARI password' },
  { name: 'DOZVON_ARI_APP', kind: 'string', default: 'dozvon', help: 'Stasis application name' },
  {
    name: 'DOZVON_TELEPHONY_WAIT_MS',
    kind: 'int',
    default: '120000',
    min: 0,
    max: 86400000,
    help: 'how long a voice page waits for Asterisk to come back before it falls back to SMS/push (0 = at once)',
  },
  { name: 'DOZVON_DIAL_TEMPLATE', kind: 'string', default: 'PJSIP/{number}@trunk', help: 'originate endpoint, {number} replaced' },
  { name: 'DOZVON_CALLER_ID', kind: 'string', default: 'dozvon', help: 'caller ID for outbound calls' },
  {
    name: 'DOZVON_TTS',
    kind: 'enum',
    default: 'google',
    values: ['google', 'espeak', 'none'],
    help: 'speech engine (falls back down the chain)',
  },
  { name: 'DOZVON_TTS_GOOGLE_HOST', kind: 'url', default: '', help: 'base URL for google-tts-api (default: Google)' },
  { name: 'DOZVON_TTS_DELIVERY', kind: 'enum', default: 'http', values: ['http', 'dir'], help: 'how Asterisk gets rendered audio' },
  {
    name: 'DOZVON_TTS_DIR',
    kind: 'string',
    default: './data/tts',
    help: 'where rendered audio is kept (and shared with Asterisk in dir mode)',
  },
  { name: 'DOZVON_LANG', kind: 'enum', default: 'en', values: ['en', 'ru'], help: 'default language' },
  {
    name: 'DOZVON_LINK_SECRET',
    kind: 'secret',
    default: '',
    help: 'HMAC key for acknowledge links (default: generated once and kept in the database)',
  },
  {
    name: 'DOZVON_HEARTBEAT_KEYS',
    kind: 'secret-list',
    default: '',
    help: 'keys accepted by the heartbeat APIs (16+ characters each, not shared)',
  },
  {
    name: 'DOZVON_FQDN_REGEX',
    kind: 'regex',
    default: '\\b(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\\.)+(?:[a-z]{2,63}|local|internal|lan)\\b',
    help: 'first match in the alert text is read out as the host',
  },
  { name: 'DOZVON_HOTLINE_PUBLIC', kind: 'bool', default: 'false', help: 'unknown hotline callers hear summaries without a PIN' },
  {
    name: 'DOZVON_TRUST_PROXY',
    kind: 'string',
    default: '',
    help: 'proxies whose X-Forwarded-For names the client (hop count, addresses/CIDRs, loopback): per-address login and admin limits then count real clients',
  },
  { name: 'DOZVON_PEER_URL', kind: 'url', default: '', help: "a peer dozvon's heartbeat ping URL (mutual watch)" },
  {
    name: 'DOZVON_DAILY_LIMIT_CALLS',
    kind: 'int',
    default: '100',
    min: 0,
    max: 100000,
    help: 'call pages from OnCall (make_call and the webhook) per user per 24 h before limit-exceeded (0 = no limit)',
  },
  {
    name: 'DOZVON_DAILY_LIMIT_SMS',
    kind: 'int',
    default: '200',
    min: 0,
    max: 100000,
    help: 'text pages from OnCall (send_sms and fcm_relay) per user per 24 h before limit-exceeded (0 = no limit)',
  },
  { name: 'DOZVON_MAX_CALLS', kind: 'int', default: '20', min: 1, max: 1000, help: 'concurrent outbound calls' },
  { name: 'DOZVON_ORIGINATES_PER_SECOND', kind: 'int', default: '5', min: 1, max: 1000, help: 'originate rate limit' },
  {
    name: 'DOZVON_LEASE_MS',
    kind: 'int',
    default: '120000',
    min: 5000,
    max: 3600000,
    help: 'how long an instance owns a page it is working on before another may take it over',
  },
  {
    name: 'DOZVON_CLUSTER_LEASE_MS',
    kind: 'int',
    default: '15000',
    min: 2000,
    max: 600000,
    help: 'lease of cluster-wide watchers (heartbeats, shifts): the longest gap after an instance dies',
  },
  {
    name: 'DOZVON_LOG_LEVEL',
    kind: 'enum',
    default: 'info',
    values: ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'],
    help: 'log level',
  },
  {
    name: 'DOZVON_SQLITE_SYNC',
    kind: 'enum',
    default: 'FULL',
    values: ['FULL', 'NORMAL'],
    help: 'SQLite fsync policy (FULL survives power loss)',
  },
];
