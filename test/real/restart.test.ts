/**
 * Asterisk dies in the middle of a call and comes back (kill -9 and start, as a crash or
 * `systemctl restart` would): dozvon reconnects within 5 s and places the page again at once,
 * to a phone that then answers.
 */
import { expect } from 'chai';
import { useStory, answered, starts, pressDuringMenu, items, expectHeard, reconnectPhones, SPEECH } from './stories';
import type { RealWorld } from './world';

/** Polls /readyz; resolves with the ms from `since` to the first answer whose telephony is ok after it was not. */
async function telephonyBack(w: RealWorld, since: number, timeoutMs = 15_000): Promise<number> {
  let wentDown = false;
  while (Date.now() - since < timeoutMs) {
    const r = await fetch(`${w.url}/readyz`).then((x) => x.json() as Promise<{ checks: Record<string, string> }>);
    if (r.checks.telephony !== 'ok') wentDown = true;
    else if (wentDown) return Date.now() - since;
    await new Promise((res) => setTimeout(res, 50));
  }
  throw new Error(`telephony not back in /readyz within ${timeoutMs} ms (went down: ${wentDown})`);
}

describe('real Asterisk: restarted in the middle of a call', function () {
  const story = useStory(this);

  it('dozvon is connected again within 5 s, records the cut call as interrupted and calls again at once', async () => {
    const s = story();
    const { w } = s;
    const { id, group } = await s.page('Disk full on web-07');
    await answered(w);
    await starts(w, SPEECH);

    const restartedAt = Date.now();
    const back = telephonyBack(w, restartedAt);
    await w.asterisk.restart();
    await reconnectPhones(w);
    const reconnectMs = await back;
    expect(reconnectMs, `dozvon connected again ${reconnectMs} ms after the restart began`).to.be.below(5_000);

    const again = await answered(w);
    await pressDuringMenu(w, again, '1');
    expect(await w.finished(id)).to.include({ state: 'delivered', outcome: 'digit' });
    await again.waitEnded();

    const [cut, retry] = await w.attempts(id);
    expect(cut).to.include({ outcome: 'interrupted', digits: null });
    expect(cut.cause).to.match(/connection lost/);
    expect(retry).to.include({ outcome: 'answered', digits: '1', action: 'acknowledge' });
    expect(Number(retry.started_at) - restartedAt, 'called again as soon as dozvon was back').to.be.below(reconnectMs + 2_000);
    expect(w.oncall.state.groups.get(group)!.acknowledgedBy).to.equal(s.alice);
    await expectHeard(w, again, items(w));
  });
});
