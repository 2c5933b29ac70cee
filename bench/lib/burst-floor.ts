/**
 * The Asterisk floor of a burst: what the same Asterisk, with the same test phones and the same
 * event watcher, needs for N originates sent at once by a bare client, with no dozvon in the way.
 * The originates go as dozvon sends them (AriRest over its kept-alive connections) and are timed
 * the same way, from the send to the channel appearing and to the INVITE at the phone; then the
 * phones answer and the client plays dozvon's greeting the moment its channel enters the app,
 * timed from the answer to the playback starting. dozvon's own figures can come no lower than
 * these on the machine they were measured on.
 */
import { randomUUID } from 'node:crypto';
import { WebSocket } from 'ws';
import { AriRest } from '../../src/telephony/ari-rest';
import type { RealAsterisk } from '../../test/real/asterisk/process';
import { TestPhones } from '../../test/real/phones';
import type { BurstResult, Options } from './burst-common';
import { opened, within } from './deadline';
import { Teardown } from './teardown';
import { answerAndHear, hangUp, watchAri } from './burst-real';
import { promptMedia } from '../../src/tts/prompts';

const APP = 'bench-floor';

/** An ARI app must have a client for Asterisk to accept originates into it; this one greets every channel that enters. */
async function holdApp(asterisk: RealAsterisk, rest: AriRest): Promise<WebSocket> {
  const ws = new WebSocket(`${asterisk.ariUrl.replace(/^http/, 'ws')}/ari/events?app=${APP}`, {
    headers: asterisk.auth(),
    handshakeTimeout: 10_000,
  });
  await opened(ws, 'the floor client to open its ARI app');
  const greeting = promptMedia('greeting', 'en');
  ws.on('message', (d: Buffer) => {
    const e = JSON.parse(d.toString()) as { type: string; channel?: { id: string } };
    if (e.type === 'StasisStart' && e.channel)
      rest.post(`/channels/${e.channel.id}/play`, { media: greeting, lang: 'en' }).catch(() => undefined);
  });
  return ws;
}

export async function floorRun(o: Options, asterisk: RealAsterisk): Promise<BurstResult> {
  const stops = new Teardown();
  try {
    const phones = stops.add(await TestPhones.connect(asterisk), (p) => p.close());
    const watch = stops.add(await watchAri(asterisk), (w) => w.close());
    const rest = stops.add(new AriRest(asterisk.ariUrl, asterisk.layout.ariUser, asterisk.layout.ariPassword), (r) => r.close());
    stops.add(await holdApp(asterisk, rest), (ws) => ws.terminate());
    const originate = (number: string, id: string) =>
      rest.post('/channels', { endpoint: `PJSIP/+${number}@trunk`, app: APP, channelId: id, timeout: 30 });
    // As dozvon's run: one call placed, answered and hung up before the burst.
    const warm = phones.expectCall('15554009999', 30_000);
    await originate('15554009999', `floor-warm-${randomUUID()}`);
    const w = await warm;
    await within(10_000, 'the warm-up phone to answer', w.answer());
    await within(10_000, 'the warm-up phone to hang up', w.hangup());
    await new Promise((r) => setTimeout(r, 500));
    // Ids of their own, all of one length: Asterisk 22 looks an id up by prefix as well, so
    // floor-…-1 was refused as "already exists" whenever floor-…-10 had been created first.
    const tag = randomUUID();
    const idOf = (i: number) => `floor-${tag}-${String(i).padStart(3, '0')}`;
    const numbers = Array.from({ length: o.n }, (_, i) => `1555400${1000 + i}`);
    const calls = numbers.map((n) => phones.expectCall(n, 60_000));
    const t0 = Date.now();
    // Awaited together: a failed originate must not leave the phones' waits unobserved.
    const [, rung] = await Promise.all([Promise.all(numbers.map((n, i) => originate(n, idOf(i)))), Promise.all(calls)]);
    const created = numbers.map(
      (_, i) => (watch.events.find((e) => e.type === 'ChannelCreated' && e.channel?.id === idOf(i))?.at ?? NaN) - t0,
    );
    const invite = rung.map(
      (c) => (phones.events.find((x) => x.type === 'StasisStart' && x.channel?.id === c.id)!.receivedAt as number) - t0,
    );
    // Answered ten at a time, as in dozvon's run.
    const audio: (number | null)[] = [];
    for (let k = 0; k < rung.length; k += 10)
      audio.push(
        ...(await Promise.all(
          rung.slice(k, k + 10).map((c, j) => answerAndHear(phones, watch, c, idOf(k + j), `the call to ${c.number}`)),
        )),
      );
    for (let k = 0; k < rung.length; k += 10) await Promise.all(rung.slice(k, k + 10).map((c) => hangUp(c, `the phone ${c.number}`)));
    const heard = audio.filter((a): a is number => a !== null);
    const sent = created.filter(Number.isFinite);
    return { originate: sent, sent, invite, audio: heard, accepted: 0, cpuMs: 0 };
  } finally {
    await stops.run();
  }
}
