import { expect } from 'chai';
import { describeConfig, loadConfig } from '../../../src/config';
import { maskSecret, maskSecretList } from '../../../src/core/mask';

describe('secrets as views show them', () => {
  it('a 6-character ARI password shows neither a character nor its length', () => {
    const c = loadConfig({ env: { DOZVON_DB: 'sqlite:/tmp/x.sqlite', DOZVON_ARI_PASSWORD: 'onpass' } });
    const shown = describeConfig(c).DOZVON_ARI_PASSWORD.value;
    expect(shown).to.equal('set (hidden)');
    expect(shown).not.to.match(/on|6/);
  });

  it('a long token is hidden the same way: no prefix, no length', () => {
    const token = 'admin-0123456789abcdef';
    expect(maskSecret(token)).to.equal('set (hidden)');
    expect(maskSecret(token)).not.to.include('ad').and.not.to.include('22');
  });

  it('a list says how many are set; an unset secret shows nothing', () => {
    expect(maskSecretList('cloud-0123456789abcdef,cloud-fedcba9876543210')).to.equal('2 set (hidden)');
    expect(maskSecretList('cloud-0123456789abcdef')).to.equal('set (hidden)');
    expect(maskSecret('')).to.equal('');
    expect(maskSecretList('')).to.equal('');
  });
});
