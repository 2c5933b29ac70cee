import { expect } from 'chai';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnServe, runCliProcess, waitExit } from '../helpers/spawn';
import { openDb } from '../../src/db/knex';

describe('durability: a 200 from make_call survives kill -9', function () {
  this.timeout(60000);
  let dir: string;
  let env: Record<string, string>;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'dozvon-durable-'));
    // No Asterisk here: an SMS sender (never reached) is the channel that makes the pages deliverable.
    writeFileSync(
      join(dir, 'dozvon.yaml'),
      'senders:\n  sms: { type: http, name: gw, url: "http://127.0.0.1:9/send", body: { to: "{{to}}", text: "{{text}}" } }\n',
    );
    env = {
      DOZVON_DB: `sqlite:${join(dir, 'd.sqlite')}`,
      DOZVON_CLOUD_TOKENS: 'durability-token-0123456789',
      DOZVON_TTS: 'none',
      DOZVON_CONFIG: join(dir, 'dozvon.yaml'),
    };
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('stores every accepted call before answering, and the rows are there after a restart', async () => {
    const add = await runCliProcess(
      ['users', 'add', '--email', 'alice@example.com', '--name', 'Alice', '--phone', '+15550001111', '--create'],
      env,
    );
    expect(add.code, add.stderr).to.equal(0);
    const first = await spawnServe(env);
    const accepted: number[] = [];
    for (let i = 0; i < 20; i++) {
      const r = await fetch(`http://127.0.0.1:${first.port}/api/v1/make_call`, {
        method: 'POST',
        headers: { authorization: 'durability-token-0123456789', 'content-type': 'application/x-www-form-urlencoded' },
        body: `email=alice%40example.com&message=page+${i}`,
      });
      if (r.status === 200) accepted.push(i);
    }
    expect(accepted).to.have.length(20);
    first.child.kill('SIGKILL'); // no graceful shutdown: whatever was answered 200 must already be on disk
    await waitExit(first.child);

    const second = await spawnServe(env);
    try {
      const r = await fetch(`http://127.0.0.1:${second.port}/healthz`);
      expect(r.status).to.equal(200);
    } finally {
      second.child.kill('SIGKILL');
      await waitExit(second.child);
    }
    const db = openDb({ client: 'sqlite', filename: join(dir, 'd.sqlite') });
    try {
      const rows = await db('notifications').where({ kind: 'call' }).select('message').orderBy('id');
      expect(rows.map((r: { message: string }) => r.message)).to.deep.equal(accepted.map((i) => `page ${i}`));
    } finally {
      await db.destroy();
    }
  });
});
