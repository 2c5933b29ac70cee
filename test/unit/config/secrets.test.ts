import { expect } from 'chai';
import { ConfigError, loadConfig } from '../../../src/config';

const A = 'admin-0123456789abcdef';
const C1 = 'cloud-0123456789abcdef';
const C2 = 'cloud-fedcba9876543210';
const H = 'heartbeat-0123456789ab';
const L = 'link-secret-0123456789';

function load(env: Record<string, string>) {
  return loadConfig({ env: { DOZVON_DB: 'sqlite:/tmp/x.sqlite', ...env } });
}

function refusal(env: Record<string, string>): string {
  try {
    load(env);
  } catch (e) {
    expect(e).to.be.instanceOf(ConfigError);
    return (e as Error).message;
  }
  throw new Error('the configuration was accepted');
}

describe('configuration: secrets that deserve the name', () => {
  it('accepts long, distinct secrets', () => {
    const c = load({
      DOZVON_ADMIN_TOKEN: A,
      DOZVON_CLOUD_TOKENS: `${C1},${C2}`,
      DOZVON_HEARTBEAT_KEYS: H,
      DOZVON_LINK_SECRET: L,
      DOZVON_ARI_PASSWORD: 'short',
    });
    expect(c.cloudTokens).to.deep.equal([C1, C2]);
  });

  it('refuses a token or key under 16 characters, naming the setting', () => {
    expect(refusal({ DOZVON_ADMIN_TOKEN: 'admin-token' })).to.match(/^DOZVON_ADMIN_TOKEN: is 11 characters; use at least 16/);
    expect(refusal({ DOZVON_CLOUD_TOKENS: `${C1},tok` })).to.match(/^DOZVON_CLOUD_TOKENS: entry 2 is 3 characters/);
    expect(refusal({ DOZVON_HEARTBEAT_KEYS: 'hb-key' })).to.match(/^DOZVON_HEARTBEAT_KEYS: /);
    expect(refusal({ DOZVON_LINK_SECRET: 'short' })).to.match(/^DOZVON_LINK_SECRET: /);
  });

  it('refuses one value in two roles, naming both', () => {
    expect(refusal({ DOZVON_ADMIN_TOKEN: A, DOZVON_CLOUD_TOKENS: `${C1},${A}` })).to.match(
      /^DOZVON_CLOUD_TOKENS: shares a value with DOZVON_ADMIN_TOKEN/,
    );
    expect(refusal({ DOZVON_CLOUD_TOKENS: C1, DOZVON_HEARTBEAT_KEYS: C1 })).to.match(
      /DOZVON_HEARTBEAT_KEYS: shares a value with DOZVON_CLOUD_TOKENS/,
    );
    expect(refusal({ DOZVON_ADMIN_TOKEN: A, DOZVON_ARI_PASSWORD: A })).to.match(
      /DOZVON_ARI_PASSWORD: shares a value with DOZVON_ADMIN_TOKEN/,
    );
    expect(refusal({ DOZVON_LINK_SECRET: H, DOZVON_HEARTBEAT_KEYS: H })).to.match(/shares a value/);
    // The same token listed twice in one role is not two roles.
    expect(load({ DOZVON_CLOUD_TOKENS: `${C1},${C1}` }).cloudTokens).to.have.length(2);
  });

  it('DOZVON_TRUST_PROXY: a hop count or proxy addresses, never "true"', () => {
    expect(load({}).trustProxy).to.equal(false);
    expect(load({ DOZVON_TRUST_PROXY: '1' }).trustProxy).to.equal(1);
    expect(load({ DOZVON_TRUST_PROXY: 'loopback, 10.0.0.0/8, fd00::/8' }).trustProxy).to.deep.equal(['loopback', '10.0.0.0/8', 'fd00::/8']);
    expect(refusal({ DOZVON_TRUST_PROXY: 'true' })).to.match(/^DOZVON_TRUST_PROXY: /);
    expect(refusal({ DOZVON_TRUST_PROXY: '10.0.0.0/40' })).to.match(/^DOZVON_TRUST_PROXY: /);
  });
});
