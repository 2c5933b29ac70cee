import { expect } from 'chai';
import { warmUpPages } from '../../../src/compose/warm-up';
import type { Stores } from '../../../src/compose/stores';
import type { VoiceEngine } from '../../../src/dispatch/voice-engine';
import type { PagePreparer } from '../../../src/dispatch/page-preparer';
import type { Notification } from '../../../src/db/notifications-repo';
import type { User } from '../../../src/directory/user';
import { silentLogger } from '../../../src/core/log';

const settle = async () => {
  for (let i = 0; i < 5; i++) await new Promise((r) => setImmediate(r));
};

describe('warm-up of accepted pages', () => {
  function world(busy: number[] = []) {
    const queries: number[][] = [];
    const warmed: [number, string][] = [];
    let listener: (n: Notification) => void = () => undefined;
    const stores = {
      // Looked up on the read connections: the writer is the burst's own path.
      users: {
        getManyById: () => Promise.reject(new Error('read on the writer')),
      },
      reads: {
        users: {
          async getManyById(ids: number[]) {
            queries.push(ids);
            return new Map(ids.filter((id) => id !== 404).map((id) => [id, { id, email: `p${id}@example.com` } as unknown as User]));
          },
        },
      },
      now: () => 0,
      logger: silentLogger(),
      wakeup: { subscribe: (fn: (n: Notification) => void) => ((listener = fn), () => undefined) },
    } as unknown as Stores;
    const voice = { isBusyWith: (id: number) => busy.includes(id) } as unknown as VoiceEngine;
    const stops: string[] = [];
    const preparer = {
      warm: (n: Notification, u: User) => warmed.push([n.id, u.email]),
      stop: async () => void stops.push('preparer'),
    } as unknown as PagePreparer;
    const warmUp = warmUpPages(stores, voice, preparer);
    const page = (id: number, userId: number, kind = 'call') => listener({ id, userId, kind } as Notification);
    return { queries, warmed, page, warmUp, stops, stores };
  }

  it('looks up everyone paged in the same moment with one query, and warms each page for its person', async () => {
    const w = world();
    for (let i = 1; i <= 20; i++) w.page(100 + i, i);
    await settle();
    expect(w.queries).to.have.length(1);
    expect(w.queries[0]).to.have.length(20);
    expect(w.warmed).to.have.length(20);
    expect(w.warmed[4]).to.deep.equal([105, 'p5@example.com']);
  });

  it('reads a person once for several pages, skips SMS pages, people on the phone and people not found', async () => {
    const w = world([7]);
    w.page(1, 3);
    w.page(2, 3);
    w.page(3, 7);
    w.page(4, 8, 'sms');
    w.page(5, 404);
    await settle();
    expect(w.queries).to.deep.equal([[3, 404]]);
    expect(w.warmed).to.deep.equal([
      [1, 'p3@example.com'],
      [2, 'p3@example.com'],
    ]);
  });

  it('a stop waits for the lookups under way, warms nothing more, then stops the preparer', async () => {
    const w = world();
    let release: () => void = () => undefined;
    const held = new Promise<void>((r) => (release = r));
    const reads = (w.stores as unknown as { reads: { users: { getManyById(ids: number[]): Promise<Map<number, User>> } } }).reads.users;
    const plain = reads.getManyById.bind(reads);
    reads.getManyById = async (ids) => (await held, plain(ids));
    w.page(1, 1);
    await settle();
    let stopped = false;
    const stopping = w.warmUp.stop().then(() => (stopped = true));
    w.page(2, 2);
    await settle();
    expect(stopped).to.equal(false);
    release();
    await stopping;
    expect(w.queries).to.deep.equal([[1]]);
    expect(w.warmed).to.deep.equal([]);
    expect(w.stops).to.deep.equal(['preparer']);
  });
});
