/** The recorder's stop: acknowledgements nobody awaits are written before the database closes. */
import { expect } from 'chai';
import { DeliveryRecorder, type DeliveryRepo, type DeliverySink } from '../../../src/delivery';
import { FakeClock } from '../../fakes/clock';
import { silentLogger } from '../../../src/core/log';

describe('delivery recorder: stopping', () => {
  it('waits for acknowledgements still being written, including one made while it stops', async () => {
    const written: number[] = [];
    const pending: (() => void)[] = [];
    const repo = {
      markAcked: (id: number) =>
        new Promise((resolve) =>
          pending.push(() => {
            written.push(id);
            resolve([]);
          }),
        ),
    } as unknown as DeliveryRepo;
    const sink = { firstRing() {}, acknowledged() {}, counted() {} } satisfies DeliverySink;
    const recorder = new DeliveryRecorder({ repo, sink, clock: new FakeClock(0), logger: silentLogger() });
    void recorder.acked(1, 'digit');
    let stopped = false;
    const stopping = recorder.stop().then(() => (stopped = true));
    void recorder.acked(2, 'oncall');
    await new Promise((r) => setImmediate(r));
    expect(stopped, 'stopped with two writes outstanding').to.equal(false);
    pending.shift()!();
    await new Promise((r) => setImmediate(r));
    expect(stopped, 'stopped with one write outstanding').to.equal(false);
    pending.shift()!();
    await stopping;
    expect(written).to.deep.equal([1, 2]);
  });
});
