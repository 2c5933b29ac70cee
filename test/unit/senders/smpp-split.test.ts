import { expect } from 'chai';
import { chunk, encodeText, fitText, partCount, planSubmits } from '../../../src/senders/smpp-split';

describe('SMPP message splitting', () => {
  it('fits 160 GSM characters or 70 UCS-2 characters in one part', () => {
    expect(partCount('a'.repeat(160))).to.equal(1);
    expect(partCount('a'.repeat(161))).to.equal(2);
    expect(partCount('я'.repeat(70))).to.equal(1);
    expect(partCount('я'.repeat(71))).to.equal(2);
  });

  it('counts GSM extension characters as two septets and never splits the escape', () => {
    const text = 'a'.repeat(152) + '€' + 'b'.repeat(10);
    const enc = encodeText(text);
    expect(enc.bytes.length).to.equal(164);
    const parts = chunk(enc);
    expect(parts[0].length).to.equal(152);
    expect(parts[1][0]).to.equal(0x1b);
  });

  it('never splits a UTF-16 surrogate pair', () => {
    const text = 'я'.repeat(66) + '😀' + 'я'.repeat(10);
    const parts = chunk(encodeText(text));
    expect(parts[0].length).to.equal(132);
  });

  it('builds 6-byte concatenation UDHs with a shared reference', () => {
    const subs = planSubmits('q'.repeat(400), 'udh', 0x1ab);
    expect(subs).to.have.length(3);
    expect([...subs[2].short_message.subarray(0, 6)]).to.deep.equal([5, 0, 3, 0xab, 3, 3]);
    expect(subs.every((s) => s.esm_class === 0x40)).to.equal(true);
  });

  it('fitText keeps the suffix whole and shortens the body', () => {
    const out = fitText('w'.repeat(900), ' LINK', 2);
    expect(partCount(out)).to.equal(2);
    expect(out.endsWith('... LINK')).to.equal(true);
    expect(fitText('short', ' LINK', 2)).to.equal('short LINK');
  });
});
