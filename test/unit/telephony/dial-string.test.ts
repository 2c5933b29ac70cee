import { expect } from 'chai';
import { AppError } from '../../../src/core/errors';
import { buildDialString, NoTelephony } from '../../../src/telephony';

describe('buildDialString', () => {
  it('fills the template', () => {
    expect(buildDialString('PJSIP/{number}@trunk', '+79161234567')).to.equal('PJSIP/+79161234567@trunk');
    expect(buildDialString('Local/{number}@phones', '1001')).to.equal('Local/1001@phones');
  });

  const hostile = [
    '1001&PJSIP/666@evil',
    '1001/n',
    '1001,60,tT',
    '1001@other',
    ' 1001',
    '1001 ',
    '10 01',
    'abc',
    '1',
    '+',
    '',
    '1234567890123456',
    '1001\n',
    '1001;2',
    '++1001',
    '1001#',
    '1001*',
    '１００１',
    '1001\u0000',
  ];
  for (const n of hostile) {
    it(`refuses ${JSON.stringify(n)} with a permanent error`, () => {
      let err: unknown;
      try {
        buildDialString('PJSIP/{number}@trunk', n);
      } catch (e) {
        err = e;
      }
      expect(err).to.be.instanceOf(AppError);
      expect((err as AppError).temporary).to.equal(false);
    });
  }
});

describe('NoTelephony', () => {
  it('reports itself unconfigured and refuses to dial, permanently', async () => {
    const t = new NoTelephony();
    await t.start();
    expect(t.health()).to.include({ ok: false, configured: false });
    const err = await t.originate().catch((e: unknown) => e);
    expect(err).to.be.instanceOf(AppError);
    expect(err).to.include({ temporary: false, message: 'telephony not configured' });
  });
});
