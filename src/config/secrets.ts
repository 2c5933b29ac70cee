/**
 * Secrets that deserve the name: every token and key dozvon checks must be at least 16 characters,
 * and no value may serve two roles (a heartbeat key that is also the admin token turns every cron
 * job into an administrator). A failure stops the start with a message naming the settings.
 * The ARI password and the OnCall token belong to other systems: their length is theirs to decide,
 * but they must not double as one of ours either.
 */
import { ConfigError } from './parse';

export const MIN_SECRET_LENGTH = 16;

export interface SecretRoles {
  DOZVON_ADMIN_TOKEN: string[];
  DOZVON_CLOUD_TOKENS: string[];
  DOZVON_HEARTBEAT_KEYS: string[];
  DOZVON_LINK_SECRET: string[];
  DOZVON_ARI_PASSWORD: string[];
  DOZVON_ONCALL_TOKEN: string[];
}

/** Only our own secrets have a minimum length. */
const OURS: readonly (keyof SecretRoles)[] = ['DOZVON_ADMIN_TOKEN', 'DOZVON_CLOUD_TOKENS', 'DOZVON_HEARTBEAT_KEYS', 'DOZVON_LINK_SECRET'];

export function checkSecrets(roles: SecretRoles): void {
  for (const name of OURS) {
    roles[name].forEach((v, i) => {
      if (v.length < MIN_SECRET_LENGTH) {
        const which = roles[name].length > 1 ? `entry ${i + 1} is` : 'is';
        throw new ConfigError(name, `${which} ${v.length} characters; use at least ${MIN_SECRET_LENGTH} (e.g. openssl rand -hex 32)`);
      }
    });
  }
  const owner = new Map<string, keyof SecretRoles>();
  for (const name of Object.keys(roles) as (keyof SecretRoles)[]) {
    for (const v of new Set(roles[name])) {
      if (v === '') continue;
      const other = owner.get(v);
      if (other !== undefined && other !== name) throw new ConfigError(name, `shares a value with ${other}; give each role its own secret`);
      owner.set(v, name);
    }
  }
}
