/**
 * Retention through the whole app: the 'retention' Singleton takes its lease and sweeps a
 * minute after start; a deleted voicemail's link answers 404 naming the retention.
 */
import { expect } from 'chai';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startApp, RunningApp } from '../helpers/app';
import { FakeClock } from '../fakes/clock';
import { HotlineMessagesRepo } from '../../src/hotline/messages-repo';

const DAY = 86_400_000;

describe('retention in the app', () => {
  let dir: string;
  let t: RunningApp;
  let clock: FakeClock;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'dozvon-retention-'));
    const file = join(dir, 'dozvon.yaml');
    writeFileSync(file, 'retention:\n  hotline_voicemail_days: 14\n');
    clock = new FakeClock(Date.now());
    t = await startApp({ DOZVON_CONFIG: file }, { clock });
  });
  afterEach(async () => {
    await t.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('sweeps under its lease a minute after start, counts it in /metrics; the old link answers 404 with the retention, the recent one plays', async () => {
    const repo = new HotlineMessagesRepo(t.app.db);
    const base = {
      caller: '+15550001111',
      userId: null,
      durationMs: 1000,
      contentType: 'audio/wav',
      audio: Buffer.alloc(64, 7),
      incidentId: null,
      alertUid: 'u',
    };
    await repo.insert({ ...base, token: 'expired-token-aaaaaaaaaaaaaaa', recordedAt: clock.now() - 15 * DAY });
    await repo.insert({ ...base, token: 'recent-token-bbbbbbbbbbbbbbbb', recordedAt: clock.now() - 13 * DAY });

    // The lease is taken on the first clock step, the sweep comes a minute (of the fake clock)
    // later; the lease's SQLite I/O needs real time, so each step also waits a little for real.
    const deadline = Date.now() + 15_000;
    while (!t.app.retention.lastSweep() && Date.now() < deadline) {
      await clock.advance(1000);
      await t.app.retention.idle();
      await new Promise((r) => setTimeout(r, 5));
    }
    const sweep = t.app.retention.lastSweep();
    expect(sweep, 'no sweep ran').to.not.equal(null);
    expect(sweep!.counts.hotline_messages).to.equal(1);
    const held = (await t.app.db('leases').where({ name: 'retention' }).first()) as { holder: string } | undefined;
    expect(held?.holder).to.equal(t.app.instanceId);

    const metrics = await (await fetch(`${t.url}/metrics`)).text();
    expect(metrics).to.match(/^dozvon_retention_deleted_total\{table="hotline_messages"\} 1$/m);
    expect(metrics).to.match(/^dozvon_retention_last_sweep_timestamp_seconds\{result="complete"\} \d+(\.\d+)?$/m);

    const gone = await fetch(`${t.url}/hotline/messages/expired-token-aaaaaaaaaaaaaaa.wav`);
    expect(gone.status).to.equal(404);
    expect(((await gone.json()) as { message: string }).message).to.match(/deleted.*kept for 14 days/);
    const kept = await fetch(`${t.url}/hotline/messages/recent-token-bbbbbbbbbbbbbbbb.wav`);
    expect(kept.status).to.equal(200);
    expect(Buffer.from(await kept.arrayBuffer()).length).to.equal(64);
  });
});
