/**
 * The Asterisk floor of a burst: what the same Asterisk, with the same test phones and the same
 * event watcher, needs for N originates sent at once by a bare client, with no dozvon in the way.
 * The originates go as dozvon sends them (AriRest over its kept-alive connections) and are timed
 * the same way, from the send to the channel appearing and to the INVITE at the phone. dozvon's
 * own figure can come no lower than this on the machine it was measured on.
 */
import { WebSocket } from 'ws';
import { AriRest } from '../../src/telephony/ari-rest';
import type { RealAsterisk } from '../../test/real/asterisk/process';
import { TestPhones } from '../../test/real/phones';
import type { BurstResult, Options } from './burst-common';
import { within } from './deadline';
import { Teardown } from './teardown';
import { watchAri } from './burst-real';

const APP = 'bench-floor';

/** An ARI app must have a client for Asterisk to accept originates into it. */
async function holdApp(asterisk: RealAsterisk): Promise<WebSocket> {
  const ws = new WebSocket(`${asterisk.ariUrl.replace(/^http/, 'ws')}/ari/events?app=${APP}`, {
    headers: asterisk.auth(),
    handshakeTimeout: 10_000,
  });
  await within(
    10_000,
    'the floor client to open its ARI app',
    new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
    }),
  );
  return ws;
}

export async function floorRun(o: Options, asterisk: RealAsterisk): Promise<BurstResult> {
  const stops = new Teardown();
  try {
    const phones = stops.add(await TestPhones.connect(asterisk), (p) => p.close());
    const watch = stops.add(await watchAri(asterisk), (w) => w.close());
    stops.add(await holdApp(asterisk), (ws) => ws.terminate());
    const rest = stops.add(new AriRest(asterisk.ariUrl, asterisk.layout.ariUser, asterisk.layout.ariPassword), (r) => r.close());
    const originate = (number: string, id: string) =>
      rest.post('/channels', { endpoint: `PJSIP/+${number}@trunk`, app: APP, channelId: id, timeout: 30 });
    // As dozvon's run: one call placed, answered and hung up before the burst.
    const warm = phones.expectCall('15554009999', 30_000);
    await originate('15554009999', 'floor-warm');
    const w = await warm;
    await within(10_000, 'the warm-up phone to answer', w.answer());
    await within(10_000, 'the warm-up phone to hang up', w.hangup());
    await new Promise((r) => setTimeout(r, 500));
    const numbers = Array.from({ length: o.n }, (_, i) => `1555400${1000 + i}`);
    const calls = numbers.map((n) => phones.expectCall(n, 60_000));
    const t0 = Date.now();
    await Promise.all(numbers.map((n, i) => originate(n, `floor-${i}`)));
    const rung = await Promise.all(calls);
    const created = numbers.map(
      (_, i) => (watch.events.find((e) => e.type === 'ChannelCreated' && e.channel?.id === `floor-${i}`)?.at ?? NaN) - t0,
    );
    const invite = rung.map(
      (c) => (phones.events.find((x) => x.type === 'StasisStart' && x.channel?.id === c.id)!.receivedAt as number) - t0,
    );
    for (let k = 0; k < rung.length; k += 10)
      await Promise.all(
        rung.slice(k, k + 10).map((c) => within(10_000, `the phone ${c.number} to hang up`, c.hangup()).catch(() => undefined)),
      );
    return { originate: created.filter(Number.isFinite), invite, audio: [], accepted: 0, cpuMs: 0 };
  } finally {
    await stops.run();
  }
}
