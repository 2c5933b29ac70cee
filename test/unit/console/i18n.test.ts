import { expect } from 'chai';
import { dict, translator } from '../../../src/console/i18n';

describe('console words', () => {
  const area = dict({ 'state.up': 'up', hello: 'Hello {name}' }, { 'state.up': 'работает', hello: 'Привет, {name}' });
  const common = dict({ save: 'Save' }, { save: 'Сохранить' });

  it('looks a key up in the page language, then in the common words, with its values filled in', () => {
    const ru = translator('ru', area, common);
    expect(ru('hello', { name: 'Алиса' })).to.equal('Привет, Алиса');
    expect(ru('save')).to.equal('Сохранить');
    expect(translator('en', area, common)('save')).to.equal('Save');
  });

  it('a key built from data is looked up at run time: null when unknown, so the page shows the word itself and never a key', () => {
    const en = translator('en', area, common);
    expect(en.dynamic('state.up')).to.equal('up');
    expect(en.dynamic('state.sideways')).to.equal(null);
    expect(en.dynamic('toString')).to.equal(null);
  });
});
