import { expect } from 'chai';
import { PagePreparer } from '../../../src/dispatch/page-preparer';
import type { Correlator } from '../../../src/oncall/correlate';
import type { Enricher } from '../../../src/oncall/enrich';
import type { Tts } from '../../../src/tts/types';
import type { Notification } from '../../../src/db/notifications-repo';
import type { User } from '../../../src/directory/user';
import { silentLogger } from '../../../src/core/log';
import { FakeClock } from '../../fakes/clock';
import { parseMessage } from '../../../src/oncall/parse';
import { DialingGate } from '../../../src/dispatch/dialing-gate';

const page = (id: number) =>
  ({ id, message: `page ${id}`, alertGroupId: null, email: 'a@example.com', receivedAt: 0 }) as unknown as Notification;
const user = { id: 1, lang: 'en' } as unknown as User;
const tick = () => new Promise((r) => setImmediate(r));

/** A correlator whose answers the test releases one by one; it records which pages it is working on. */
function heldCorrelator() {
  const open = new Map<string, () => void>();
  const started: string[] = [];
  const correlator = {
    correlate: (p: { message: string }) =>
      new Promise((resolve) => {
        started.push(p.message);
        open.set(p.message, () =>
          resolve({ alertGroupId: null, correlation: 'none', parsed: parseMessage(p.message), via: 'none', reason: 'test' }),
        );
      }),
  } as unknown as Correlator;
  const release = (message: string) => {
    open.get(message)!();
    open.delete(message);
  };
  return { correlator, started, open, release };
}

describe('page preparer: background preparation of a burst', () => {
  const enricher = { summarize: () => Promise.reject(new Error('no OnCall in this test')) } as unknown as Enricher;
  const tts = { render: () => Promise.reject(new Error('no speech in this test')), health: async () => ({ ok: true, engines: [] }) } as Tts;
  const make = (c: Correlator) => new PagePreparer({ correlator: c, enricher, tts, clock: new FakeClock(), logger: silentLogger() });

  it('prepares at most four pages at once in the background, the rest in arrival order as slots free', async () => {
    const h = heldCorrelator();
    const p = make(h.correlator);
    for (let id = 1; id <= 10; id++) p.warm(page(id), user);
    await tick();
    expect(h.started).to.deep.equal(['page 1', 'page 2', 'page 3', 'page 4']);
    h.release('page 2');
    for (let i = 0; i < 5; i++) await tick();
    expect(h.started).to.deep.equal(['page 1', 'page 2', 'page 3', 'page 4', 'page 5']);
    expect(h.open.size).to.equal(4);
  });

  it('a stop abandons what the background line is preparing, waits for it, and starts nothing after', async () => {
    const started: string[] = [];
    let settled = 0;
    const correlator = {
      correlate: (q: { message: string }, signal: AbortSignal) =>
        new Promise((_resolve, reject) => {
          started.push(q.message);
          signal.addEventListener('abort', () => setImmediate(() => (settled++, reject(signal.reason))), { once: true });
        }),
    } as unknown as Correlator;
    const p = make(correlator);
    for (let id = 1; id <= 6; id++) p.warm(page(id), user);
    await tick();
    expect(started).to.have.length(4);
    let stopped = false;
    const stopping = p.stop().then(() => (stopped = true));
    expect(stopped).to.equal(false);
    await stopping;
    expect(settled).to.equal(4);
    p.warm(page(7), user);
    for (let i = 0; i < 5; i++) await tick();
    expect(started).to.deep.equal(['page 1', 'page 2', 'page 3', 'page 4']);
    await p.stop();
  });

  it('a call that needs a waiting page now takes it out of the line instead of waiting for a slot', async () => {
    const h = heldCorrelator();
    const p = make(h.correlator);
    for (let id = 1; id <= 6; id++) p.warm(page(id), user);
    const needed = p.prepare(page(6), user, AbortSignal.timeout(60_000));
    await tick();
    expect(h.started).to.include('page 6');
    h.release('page 6');
    expect((await needed).notification.id).to.equal(6);
    // Page 6 is not prepared a second time when a slot frees.
    for (const m of ['page 1', 'page 2', 'page 3', 'page 4']) h.release(m);
    for (let i = 0; i < 10; i++) await tick();
    expect(h.started.filter((m) => m === 'page 6')).to.have.length(1);
    expect(h.started).to.include('page 5');
  });

  it('pages whose people answered are built in a lane of four beside the line; a slot held past 100 ms goes to the next', async () => {
    const h = heldCorrelator();
    const clock = new FakeClock();
    const p = new PagePreparer({ correlator: h.correlator, enricher, tts, clock, logger: silentLogger() });
    for (let id = 1; id <= 6; id++) p.warm(page(id), user);
    const ringing = p.prepare(page(6), user, AbortSignal.timeout(60_000), 'in-turn');
    await tick();
    expect(h.started).to.deep.equal(['page 1', 'page 2', 'page 3', 'page 4']);
    const deadline = AbortSignal.timeout(60_000);
    for (const id of [6, 5, 7, 8, 9]) p.hurry(page(id), user, deadline);
    await tick();
    expect(h.started.slice(4), 'four hurried at once, none waiting for the line').to.deep.equal(['page 6', 'page 5', 'page 7', 'page 8']);
    h.release('page 6');
    expect((await ringing).notification.id, 'who waited in the line gets the hurried result').to.equal(6);
    await tick();
    expect(h.started.slice(8), 'a finished one frees its slot').to.deep.equal(['page 9']);
    p.hurry(page(10), user, deadline);
    await tick();
    expect(h.started).to.not.include('page 10');
    await clock.advance(100);
    await tick();
    expect(h.started.slice(9), 'slots held past 100 ms (waiting on OnCall) are given up').to.deep.equal(['page 10']);
    p.hurry(page(6), user, deadline);
    for (const m of ['page 1', 'page 2', 'page 3', 'page 4']) h.release(m);
    for (let i = 0; i < 10; i++) await tick();
    expect(
      h.started.filter((m) => m === 'page 6'),
      'prepared once',
    ).to.have.length(1);
    expect(
      h.started.filter((m) => m === 'page 5'),
      'left the line when hurried',
    ).to.have.length(1);
  });

  it('a page hurried by a call that ended before its slot came leaves the lane unbuilt', async () => {
    const h = heldCorrelator();
    const clock = new FakeClock();
    const p = new PagePreparer({ correlator: h.correlator, enricher, tts, clock, logger: silentLogger() });
    const deadline = AbortSignal.timeout(60_000);
    for (let id = 1; id <= 4; id++) p.hurry(page(id), user, deadline);
    const call = new AbortController();
    p.hurry(page(5), user, call.signal);
    await tick();
    expect(h.started).to.deep.equal(['page 1', 'page 2', 'page 3', 'page 4']);
    call.abort(new Error('hung up'));
    await clock.advance(100);
    for (let i = 0; i < 5; i++) await tick();
    expect(h.started).to.not.include('page 5');
  });

  it('a first call prepared in turn waits for its slot behind the pages before it, and gets the result when its turn comes', async () => {
    const h = heldCorrelator();
    const p = make(h.correlator);
    for (let id = 1; id <= 5; id++) p.warm(page(id), user);
    const ringing = p.prepare(page(6), user, AbortSignal.timeout(60_000), 'in-turn');
    await tick();
    expect(h.started).to.deep.equal(['page 1', 'page 2', 'page 3', 'page 4']);
    h.release('page 1');
    for (let i = 0; i < 5; i++) await tick();
    expect(h.started).to.not.include('page 6');
    h.release('page 2');
    for (let i = 0; i < 5; i++) await tick();
    expect(h.started).to.include('page 6');
    h.release('page 6');
    expect((await ringing).notification.id).to.equal(6);
  });

  it("a call's deadline passing gives up waiting, while the page stays in line for the next call", async () => {
    const h = heldCorrelator();
    const p = make(h.correlator);
    for (let id = 1; id <= 4; id++) p.warm(page(id), user);
    const ctl = new AbortController();
    const ringing = p.prepare(page(5), user, ctl.signal, 'in-turn');
    ctl.abort(new Error('summary deadline'));
    expect(
      await ringing.then(
        () => 'prepared',
        (e: Error) => e.message,
      ),
    ).to.equal('summary deadline');
    h.release('page 1');
    for (let i = 0; i < 5; i++) await tick();
    expect(h.started).to.include('page 5');
  });

  it('starts no background preparation while a call is on its way to its originate; starts them once every call has dialled', async () => {
    const h = heldCorrelator();
    const dialing = new DialingGate();
    const p = new PagePreparer({ correlator: h.correlator, enricher, tts, clock: new FakeClock(), logger: silentLogger(), dialing });
    const claim = dialing.enter();
    const firstCall = dialing.enter();
    for (let id = 1; id <= 3; id++) p.warm(page(id), user);
    const ringing = p.prepare(page(4), user, AbortSignal.timeout(60_000), 'in-turn');
    await tick();
    expect(h.started).to.deep.equal([]);
    claim();
    claim(); // counted once
    await tick();
    expect(h.started, 'one call still dialling').to.deep.equal([]);
    // A retry waits for its preparation before it dials: it never waits for the gate.
    void p.prepare(page(9), user, AbortSignal.timeout(60_000), 'now');
    await tick();
    expect(h.started).to.deep.equal(['page 9']);
    firstCall();
    await tick();
    expect(h.started).to.deep.equal(['page 9', 'page 1', 'page 2', 'page 3', 'page 4']);
    h.release('page 4');
    expect((await ringing).notification.id).to.equal(4);
  });
});
