import { expect } from 'chai';
import { Breaker } from '../../../src/trunks/breaker';

describe('trunks: circuit breaker', () => {
  const opts = { failures: 3, cooldownMs: 60_000 };

  it('opens after N carrier failures in a row and skips the trunk for the cool-down', () => {
    const b = new Breaker(opts);
    b.failed(0);
    b.failed(1);
    expect(b.allow(2)).to.equal(true);
    b.failed(2);
    expect(b.state(3)).to.equal('open');
    expect(b.allow(59_999)).to.equal(false);
    expect(b.snapshot(10).retryAt).to.equal(60_002);
  });

  it('a success in between starts the count again', () => {
    const b = new Breaker(opts);
    b.failed(0);
    b.failed(1);
    b.succeeded();
    b.failed(2);
    b.failed(3);
    expect(b.state(4)).to.equal('closed');
  });

  it('after the cool-down lets exactly one call through; its success closes the breaker', () => {
    const b = new Breaker(opts);
    for (let i = 0; i < 3; i++) b.failed(0);
    expect(b.allow(60_000)).to.equal(true);
    expect(b.allow(60_001)).to.equal(false);
    b.succeeded();
    expect(b.state(60_002)).to.equal('closed');
    expect(b.allow(60_002)).to.equal(true);
  });

  it('a failed probe opens it again for a whole cool-down', () => {
    const b = new Breaker(opts);
    for (let i = 0; i < 3; i++) b.failed(0);
    expect(b.allow(60_000)).to.equal(true);
    b.failed(60_500);
    expect(b.state(60_501)).to.equal('open');
    expect(b.allow(120_499)).to.equal(false);
    expect(b.allow(120_500)).to.equal(true);
  });

  it('a probe that was granted but not used is free for the next call', () => {
    const b = new Breaker(opts);
    for (let i = 0; i < 3; i++) b.failed(0);
    expect(b.allow(60_000)).to.equal(true);
    b.released();
    expect(b.allow(60_001)).to.equal(true);
  });
});
