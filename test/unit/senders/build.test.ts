import { expect } from 'chai';
import { SystemClock } from '../../../src/core/clock';
import { silentLogger } from '../../../src/core/log';
import { buildSenders } from '../../../src/senders/build';
import { parseYaml } from '../../../src/core/yaml';

const deps = { clock: new SystemClock(), logger: silentLogger() };
const errorOf = (section: unknown): string => {
  try {
    buildSenders(section, deps);
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error('expected a config error');
};

describe('buildSenders', () => {
  it('builds senders from YAML, single item or list, with default names', async () => {
    const section = parseYaml(
      `
sms:
  type: http
  url: http://gw.local/send?to={{to}}&text={{text}}
  method: GET
push:
  - type: ntfy
    url: http://ntfy.local
  - type: telegram
    bot_token: "123456:AAE-abcdefghijklmnopqrstu"
  - type: http
    name: relay
    url: http://relay.local/p
    body: {to: "{{to}}"}
    contact: relay
`,
      'test',
    );
    const set = buildSenders(section, deps);
    expect(set.sms.map((s) => s.name)).to.deep.equal(['http-sms']);
    expect(set.push.map((s) => s.name)).to.deep.equal(['ntfy', 'telegram', 'relay']);
    const to = { phone: '+1555', contacts: { telegram: '42' }, email: 'a@b.co', name: 'A' };
    expect(set.forRecipient('push', to).map((s) => s.name)).to.deep.equal(['telegram']);
    expect(set.byName('relay')?.kind).to.equal('push');
    await set.close();
  });

  it('accepts an empty or missing section', () => {
    expect(buildSenders(undefined, deps).all()).to.deep.equal([]);
  });

  it('names the field of a bad value', () => {
    expect(errorOf({ push: [{ type: 'ntfy' }, { type: 'telegram', bot_token: 'nope' }] })).to.match(
      /^senders\.push\.1\.bot_token: .*bot token/,
    );
    expect(errorOf({ sms: { type: 'http', url: 'ftp://x' } })).to.match(/^senders\.sms\.0\.url: .*http/);
    expect(errorOf({ sms: { type: 'http', url: 'http://x/{{phone}}' } })).to.match(/unknown placeholder \{\{phone\}\}/);
    expect(errorOf({ sms: { type: 'http', url: 'http://x', method: 'GET', body: 'a' } })).to.match(
      /senders\.sms\.0\.body: a GET request has no body/,
    );
    expect(errorOf({ sms: { type: 'smpp', url: 'http://x', system_id: 'a', source_addr: 'b' } })).to.match(
      /senders\.sms\.0\.url: expected smpp:\/\//,
    );
    expect(errorOf({ sms: { type: 'carrier-pigeon' } })).to.match(/^senders\.sms\.0\.type/);
    expect(errorOf({ push: { type: 'ntfy', tokn: 'x' } })).to.match(/tokn/);
    expect(errorOf({ pager: [] })).to.match(/pager/);
  });

  it('refuses two senders with one name', () => {
    expect(
      errorOf({
        push: [
          { type: 'ntfy', name: 'p' },
          { type: 'ntfy', name: 'p' },
        ],
      }),
    ).to.match(/senders\.push\.1\.name: "p" is used twice/);
  });
});
