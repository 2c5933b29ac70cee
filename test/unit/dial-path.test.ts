import { expect } from 'chai';
import { FakeClock } from '../fakes/clock';
import { DialPath, DIAL_PATH_MAX_WAIT_MS } from '../../src/dispatch/dial-path';

const flush = () => new Promise((r) => setImmediate(r));

describe('dial path (background preparation waits for calls on their way to the originate)', () => {
  it('lets preparation through at once when no call is being dialled', async () => {
    let through = false;
    void new DialPath(new FakeClock()).whenClear().then(() => (through = true));
    await flush();
    expect(through).to.equal(true);
  });

  it('holds preparation until the last call in flight has been dialled', async () => {
    const path = new DialPath(new FakeClock());
    path.enter();
    path.enter();
    let through = false;
    void path.whenClear().then(() => (through = true));
    path.leave();
    await flush();
    expect(through).to.equal(false);
    path.leave();
    await flush();
    expect(through).to.equal(true);
  });

  it('a steady stream of calls does not starve preparation beyond the maximum wait', async () => {
    const clock = new FakeClock();
    const path = new DialPath(clock);
    path.enter();
    let through = false;
    void path.whenClear().then(() => (through = true));
    await clock.advance(DIAL_PATH_MAX_WAIT_MS - 1);
    expect(through).to.equal(false);
    await clock.advance(1);
    expect(through).to.equal(true);
  });
});
