/**
 * Several trunks over the real loop. `dead` dials dead<number>, which the far end refuses with
 * SIP 503 before anything rings; `silent` is an endpoint whose contact never answers the INVITE;
 * `good` is the loop's normal trunk. Each story prints what failover cost, for the closing note.
 */
import { expect } from 'chai';
import type { DialLeg } from '../../src/db/notifications-repo';
import { useStory, pressDuringMenu, ALICE_PHONE } from './stories';
import type { RealWorld } from './world';

const GOOD = `  - name: good
    dial: PJSIP/{number}@trunk
`;

async function legsOf(w: RealWorld, id: number): Promise<{ trunk: unknown; legs: DialLeg[] }> {
  const [attempt] = await w.until(async () => {
    const rows = await w.attempts(id);
    return rows.length && rows[0].ended_at !== null && rows[0].legs ? rows : null;
  }, 'the attempt with its legs');
  return { trunk: attempt.trunk, legs: JSON.parse(String(attempt.legs)) as DialLeg[] };
}

describe('real Asterisk: a trunk answering 503 fails over to the next one', function () {
  const story = useStory(this, { yaml: `trunks:\n  - name: dead\n    dial: PJSIP/dead{number}@trunk\n${GOOD}` });

  it('the phone rings on the second trunk within 2 s of the 503, both legs are on the attempt, and 1 acknowledges', async () => {
    const s = story();
    const { w } = s;
    const { id, group } = await s.page('Disk full on db-1');
    const call = await w.phones.expectCall(ALICE_PHONE);
    const reachedAt = Date.now();
    await call.ring();
    await call.answer();
    await pressDuringMenu(w, call, '1');
    expect(await w.finished(id)).to.include({ state: 'delivered', outcome: 'digit' });
    await call.waitEnded();
    expect(w.oncall.state.groups.get(group)!.acknowledgedBy).to.equal(s.alice);
    const { trunk, legs } = await legsOf(w, id);
    expect(trunk).to.equal('good');
    expect(legs.map((l) => [l.trunk, l.outcome, l.cause, l.sipCode, l.phoneIndex])).to.deep.equal([
      ['dead', 'congestion', 34, 503, 0],
      ['good', 'answered', legs[1].cause, legs[1].sipCode, 0],
    ]);
    const failoverMs = reachedAt - Number(legs[0].endedAt);
    process.stdout.write(
      `      failover 503 → INVITE at the phone on the next trunk: ${failoverMs} ms (503 came ${Number(legs[0].endedAt) - legs[0].startedAt} ms after the first originate)\n`,
    );
    expect(failoverMs, 'the second trunk rang the phone within 2 s of the 503').to.be.below(2000);
    expect(legs[1].startedAt).to.be.at.least(Number(legs[0].endedAt));
    const metrics = await w.app.metrics.registry.metrics();
    expect(metrics).to.match(/dozvon_calls_total\{trunk="dead",outcome="congestion"\} 1/);
    expect(metrics).to.match(/dozvon_calls_total\{trunk="good",outcome="answered"\} 1/);
  });
});

describe('real Asterisk: a trunk that never answers the INVITE', function () {
  const story = useStory(this, {
    yaml: `trunks:\n  - name: silent\n    dial: PJSIP/{number}@silent-carrier\n    ring_within_seconds: 3\n${GOOD}`,
  });

  it('costs ring_within_seconds (3 s here), then the next trunk rings the phone', async () => {
    const s = story();
    const { w } = s;
    const { id } = await s.page('Latency on search');
    const call = await w.phones.expectCall(ALICE_PHONE, 30_000);
    const reachedAt = Date.now();
    await call.ring();
    await call.answer();
    await pressDuringMenu(w, call, '1');
    expect(await w.finished(id)).to.include({ state: 'delivered', outcome: 'digit' });
    await call.waitEnded();
    const { trunk, legs } = await legsOf(w, id);
    expect(trunk).to.equal('good');
    expect(legs.map((l) => [l.trunk, l.outcome])).to.deep.equal([
      ['silent', 'no-ring'],
      ['good', 'answered'],
    ]);
    const costMs = reachedAt - legs[0].startedAt;
    process.stdout.write(`      silent trunk: first originate → INVITE at the phone on the next trunk: ${costMs} ms\n`);
    expect(costMs, 'bounded by ring_within_seconds plus set-up').to.be.within(3000, 6000);
  });
});

describe('real Asterisk: test calls on a timer', function () {
  const story = useStory(this, {
    yaml: `trunks:\n  - name: dead\n    dial: PJSIP/dead{number}@trunk\n    test: { number: "15550009999", every: 60, answer_within: 5 }\n${GOOD}`,
  });

  it('a test call the trunk refuses marks it down in /metrics and /readyz; the other trunk stays up', async () => {
    const { w } = story();
    const metrics = await w.until(async () => {
      const m = await w.app.metrics.registry.metrics();
      return /dozvon_trunk_test_calls_total\{trunk="dead",result="failed"\} 1/.test(m) ? m : null;
    }, 'the first test call to fail');
    expect(metrics).to.match(/dozvon_trunk_up\{trunk="dead"\} 0/);
    expect(metrics).to.match(/dozvon_trunk_up\{trunk="good"\} 1/);
    const ready = (await (await fetch(`${w.url}/readyz`)).json()) as { checks: Record<string, string> };
    expect(ready.checks.trunks).to.match(/^degraded: dead test call failed: congestion \(cause 34, SIP 503\)/);
  });
});
