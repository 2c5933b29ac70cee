import { expect } from 'chai';
import { GroupCommit } from '../../src/db/group-commit';

describe('GroupCommit', () => {
  it('writes requests that arrive during a flush together in the next one, answering each in order', async () => {
    const batches: number[][] = [];
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const gc = new GroupCommit<number, string>(async (items) => {
      batches.push(items);
      if (batches.length === 1) await gate;
      return items.map((i) => `ok-${i}`);
    });
    const first = gc.submit(1);
    // The first transaction is under way (held at the gate) when the others arrive.
    while (batches.length === 0) await new Promise((r) => setImmediate(r));
    const rest = [2, 3, 4].map((i) => gc.submit(i));
    release();
    expect(await first).to.equal('ok-1');
    expect(await Promise.all(rest)).to.deep.equal(['ok-2', 'ok-3', 'ok-4']);
    expect(batches).to.deep.equal([[1], [2, 3, 4]]);
  });

  it('a failed flush rejects everyone in that batch and the next batch still runs', async () => {
    let n = 0;
    const gc = new GroupCommit<number, number>(async (items) => {
      if (n++ === 0) throw new Error('disk full');
      return items;
    });
    const a = gc.submit(1);
    const err = await a.catch((e: Error) => e.message);
    expect(err).to.equal('disk full');
    expect(await gc.submit(2)).to.equal(2);
  });

  it('caps the batch size', async () => {
    const sizes: number[] = [];
    const gc = new GroupCommit<number, number>(async (items) => {
      sizes.push(items.length);
      return items;
    }, 3);
    await Promise.all([1, 2, 3, 4, 5, 6, 7].map((i) => gc.submit(i)));
    expect(sizes).to.deep.equal([3, 3, 1]);
  });

  it('requests that arrive in the same turn of the event loop share the first transaction', async () => {
    const batches: number[][] = [];
    const gc = new GroupCommit<number, number>(async (items) => {
      batches.push(items);
      return items;
    });
    // As twenty make_calls read in one poll: each submits from its own callback, before the loop turns.
    const answers = await Promise.all([1, 2, 3, 4, 5].map((i) => Promise.resolve().then(() => gc.submit(i))));
    expect(answers).to.deep.equal([1, 2, 3, 4, 5]);
    expect(batches).to.deep.equal([[1, 2, 3, 4, 5]]);
  });
});
