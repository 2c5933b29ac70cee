/**
 * The burst on the real Asterisk of test/real: N pages for N people sent at once into `dozvon
 * serve`, timed from each 200 to dozvon's channel appearing (the originate) and to the INVITE
 * reaching the phone, then the phones answer and each call is timed to dozvon's first playback.
 * Every wait has a deadline and names what it waited for: a broken run fails, it never hangs.
 */
import { WebSocket } from 'ws';
import { FakeOnCall } from '../../test/fakes/oncall';
import type { RealAsterisk } from '../../test/real/asterisk/process';
import { PhoneCall, TestPhones } from '../../test/real/phones';
import { BurstResult, Options, ONCALL_MS, WARM, burst, fmt, settle, startDozvon } from './burst-common';
import { opened, within } from './deadline';
import { Teardown } from './teardown';

interface Seen {
  type: string;
  at: number;
  channel?: { id: string };
  peer?: { id: string };
  dialstring?: string;
  playback?: { target_uri: string };
}

type Watch = { events: Seen[]; next(match: (e: Seen) => boolean): Promise<Seen>; close(): void };

/**
 * Every ARI event as it arrives, undeduplicated (several Dial events can share one millisecond),
 * and waits on them without polling. Asterisk closes an event socket it could not write to in
 * time (ari.conf websocket_write_timeout): the events after that are lost, so every wait and
 * every later lookup fails saying so.
 */
export async function watchAri(asterisk: RealAsterisk): Promise<Watch> {
  const url = `${asterisk.ariUrl.replace(/^http/, 'ws')}/ari/events?app=bench-burst-watch&subscribeAll=true`;
  const ws = new WebSocket(url, { headers: asterisk.auth(), handshakeTimeout: 10_000 });
  const events: Seen[] = [];
  let waiters: { match: (e: Seen) => boolean; resolve: (e: Seen) => void; reject: (e: Error) => void }[] = [];
  let lost: Error | null = null;
  let closing = false;
  ws.on('message', (d) => {
    const e = { ...(JSON.parse(d.toString()) as Seen), at: Date.now() };
    events.push(e);
    const hit = waiters.filter((w) => w.match(e));
    waiters = waiters.filter((w) => !hit.includes(w));
    for (const w of hit) w.resolve(e);
  });
  ws.on('close', (code, reason) => {
    if (closing) return;
    lost = new Error(`Asterisk closed the bench's ARI event socket (${code} ${reason.toString()}): the events after it are missing`);
    for (const w of waiters.splice(0)) w.reject(lost);
  });
  await opened(ws, 'the ARI event socket of the bench to open');
  return {
    get events() {
      if (lost) throw lost;
      return events;
    },
    // Resolves on the first matching event from now on; the caller bounds the wait.
    next: (match) => (lost ? Promise.reject(lost) : new Promise((resolve, reject) => waiters.push({ match, resolve, reject }))),
    close: () => {
      closing = true;
      waiters = [];
      // As the phones' socket: not left waiting 30 s for a close frame Asterisk may not send.
      ws.terminate();
    },
  };
}

/**
 * dozvon's channel for a number: the originate creates it, and Asterisk's Dial event names it
 * with the number it dials. Asterisk writes each event socket from its own thread, so the phone
 * can hear its call before the bench's socket has the Dial event: a Dial not seen yet is waited
 * for (briefly) rather than taken as missing, which left a call out of the figures now and then.
 */
async function channelFor(watch: Watch, number: string): Promise<string | undefined> {
  const isDial = (e: Seen) => e.type === 'Dial' && String(e.dialstring ?? '').includes(`${number}@`) && !!e.peer?.id;
  const seen = watch.events.find(isDial) ?? (await within(2_000, `the Dial event for ${number}`, watch.next(isDial)).catch(() => null));
  return seen?.peer?.id;
}

/**
 * The phone answers and dozvon's first playback on its channel is timed from the answer request
 * (under load dozvon's playback can overtake the reply to it). A phone whose call dozvon has
 * already ended cannot be answered: that is said, not waited for.
 */
export async function answerAndHear(
  phones: TestPhones,
  watch: Watch,
  call: PhoneCall,
  channel: string | undefined,
  what: string,
): Promise<number | null> {
  if (phones.events.some((e) => (e.type === 'StasisEnd' || e.type === 'ChannelDestroyed') && e.channel?.id === call.id))
    throw new Error(`${what} ended before the phone answered: dozvon gave it up while it rang`);
  const answered = Date.now();
  const answer = within(10_000, `the phone to answer ${what} (ARI answer)`, call.answer());
  // A call whose Dial event the bench did not see is answered all the same, and left out of the figure.
  if (!channel) return answer.then(() => null);
  const audio = watch.next((e) => e.type === 'PlaybackStarted' && e.playback?.target_uri === `channel:${channel}`);
  // Awaited together: a lost event socket must not leave the audio wait unobserved while the answer is on its way.
  const [, first] = await Promise.all([answer, within(30_000, `dozvon's first audio on ${what}`, audio)]);
  return first.at - answered;
}

/** The phone hangs up; a call dozvon has already ended (ARI 404) is fine. */
export async function hangUp(call: PhoneCall, who: string): Promise<void> {
  try {
    await within(10_000, `${who} to hang up`, call.hangup());
  } catch (e) {
    if (!/→ 404 /.test((e as Error).message)) throw e;
  }
}

/** One page placed, heard and hung up before the burst, then dozvon left to finish with it. */
async function warmUp(d: Awaited<ReturnType<typeof startDozvon>>, phones: TestPhones, watch: Watch): Promise<void> {
  const number = d.warm.phone.slice(1);
  const ringing = phones.expectCall(number, 60_000);
  await burst(d.base, [d.warm], () => 'warm up on warm.example.com');
  const w = await ringing;
  const channel = await channelFor(watch, number);
  if (!channel) throw new Error(`no Dial event named dozvon's channel for the warm-up call within 2 s of its ring`);
  await answerAndHear(phones, watch, w, channel, 'the warm-up call');
  await hangUp(w, 'the warm-up phone');
  await w.waitEnded(10_000);
  await settle(d.cpuMs, 'after the warm-up call');
}

export async function realRun(o: Options, dir: string, asterisk: RealAsterisk): Promise<BurstResult> {
  const stops = new Teardown();
  try {
    const oncall = stops.add(await FakeOnCall.start(), (f) => f.close());
    oncall.state.addUser({ email: 'svc@example.com', token: 'svc-token', username: 'dozvon' });
    const integ = oncall.state.addIntegration({ name: 'Prod' });
    const ari = { DOZVON_ARI_URL: asterisk.ariUrl, DOZVON_ARI_PASSWORD: asterisk.layout.ariPassword };
    const d = stops.add(await startDozvon(o, dir, ari, oncall.url), (x) => x.stop());
    const phones = stops.add(await TestPhones.connect(asterisk), (p) => p.close());
    const watch = stops.add(await watchAri(asterisk), (w) => w.close());
    oncall.setDelay(ONCALL_MS);
    const messages = d.people.map((_, i) => {
      const title = `Disk ${90 + (i % 10)}% full on web-${String(i).padStart(2, '0')}.prod.example.com`;
      const group = oncall.state.addAlertGroup({ integrationId: integ.id, title });
      return `You are invited to check an Alert Group from Grafana OnCall. Alert via Prod - Formatted webhook with title ${title} ref http://grafana.test/a/grafana-oncall-app/alert-groups/${group.id} triggered 3 times`;
    });
    await settle(d.cpuMs, 'after its start');
    if (WARM) await warmUp(d, phones, watch);
    const numbers = d.people.map((p) => p.phone.slice(1));
    const calls = numbers.map((n) => phones.expectCall(n, 60_000));
    const cpu0 = d.cpuMs();
    const t0 = Date.now();
    // Awaited together: a failed page must not leave the phones' waits unobserved.
    const [accepted, rung] = await Promise.all([burst(d.base, d.people, (i) => messages[i]), Promise.all(calls)]);
    const cpuMs = d.cpuMs() - cpu0;
    const channelOf = await Promise.all(numbers.map((n) => channelFor(watch, n)));
    const originate = channelOf.map((id, i) => {
      const created = watch.events.find((e) => e.type === 'ChannelCreated' && e.channel?.id === id);
      return (created?.at ?? NaN) - accepted[i];
    });
    const invite = rung.map((c, i) => {
      const e = phones.events.find((x) => x.type === 'StasisStart' && x.channel?.id === c.id);
      return (e!.receivedAt as number) - accepted[i];
    });
    process.stderr.write(`rung: make_call → originate ${fmt(originate.filter(Number.isFinite))}; → INVITE ${fmt(invite)}\n`);
    // The phones answer together, the way a team picks up during an incident; ten at a time, as
    // with fifty answers at once the test Asterisk closed an ARI connection in one run here.
    const audio: (number | null)[] = [];
    for (let k = 0; k < rung.length; k += 10)
      audio.push(
        ...(await Promise.all(
          rung.slice(k, k + 10).map((c, j) => answerAndHear(phones, watch, c, channelOf[k + j], `the call to ${d.people[k + j].phone}`)),
        )),
      );
    for (let k = 0; k < rung.length; k += 10) await Promise.all(rung.slice(k, k + 10).map((c) => hangUp(c, `the phone ${c.number}`)));
    const unmatched = channelOf.filter((c) => !c).length;
    if (unmatched) {
      const dials = watch.events.filter((e) => e.type === 'Dial').length;
      process.stderr.write(
        `${unmatched} of ${o.n} calls had no Dial event naming dozvon's channel (${dials} Dial events seen): left out of originate and first audio\n`,
      );
    }
    const heard = audio.filter((a): a is number => a !== null);
    const sent = originate.map((o, i) => o + accepted[i] - t0).filter(Number.isFinite);
    return { originate: originate.filter(Number.isFinite), sent, invite, audio: heard, accepted: Math.max(...accepted) - t0, cpuMs };
  } finally {
    await stops.run();
  }
}
