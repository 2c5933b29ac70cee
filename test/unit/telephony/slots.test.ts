import { expect } from 'chai';
import { Slots } from '../../../src/telephony/slots';

/** A task the test finishes by hand. */
function held() {
  let finish!: (ok: boolean) => void;
  const done = new Promise<string>((resolve, reject) => (finish = (ok) => (ok ? resolve('ok') : reject(new Error('failed')))));
  return { done, finish };
}

const tick = () => new Promise((r) => setImmediate(r));

describe('Slots', () => {
  it('runs at most its size at once; the rest start in arrival order as slots free', async () => {
    const slots = new Slots(2);
    const tasks = [held(), held(), held(), held()];
    const started: number[] = [];
    const runs = tasks.map((t, i) => slots.run(() => (started.push(i), t.done)));
    await tick();
    expect(started).to.deep.equal([0, 1]);
    tasks[1].finish(true);
    await tick();
    expect(started).to.deep.equal([0, 1, 2]);
    expect(slots.inUse).to.equal(2);
    tasks[0].finish(true);
    await tick();
    expect(started).to.deep.equal([0, 1, 2, 3]);
    tasks[2].finish(true);
    tasks[3].finish(true);
    expect(await Promise.all(runs)).to.deep.equal(['ok', 'ok', 'ok', 'ok']);
    expect(slots.inUse).to.equal(0);
  });

  it('frees the slot of a task that failed, and the failure reaches its caller', async () => {
    const slots = new Slots(1);
    const first = held();
    const failed = slots.run(() => first.done);
    const next = slots.run(async () => 'next');
    first.finish(false);
    const err = await failed.then(
      () => null,
      (e: Error) => e,
    );
    expect(err?.message).to.equal('failed');
    expect(await next).to.equal('next');
    expect(slots.inUse).to.equal(0);
  });

  it('a newcomer does not take a slot that is passing to a waiting task', async () => {
    const slots = new Slots(1);
    const first = held();
    const order: string[] = [];
    const a = slots.run(() => first.done);
    const b = slots.run(async () => void order.push('waiting'));
    first.finish(true);
    const c = slots.run(async () => void order.push('newcomer'));
    await Promise.all([a, b, c]);
    expect(order).to.deep.equal(['waiting', 'newcomer']);
  });
});
