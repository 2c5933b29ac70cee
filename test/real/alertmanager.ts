/**
 * A real Alertmanager 0.25 (Debian's prometheus-alertmanager) whose one receiver is dozvon's
 * Opsgenie alert API (`opsgenie_configs` with `api_url`), responders the team `dba`.
 */
import { spawn, ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Context } from 'mocha';
import { freePort } from './asterisk/process';

export const ALERTMANAGER = '/usr/bin/prometheus-alertmanager';

/** Like the other real dependencies: CI must have it, a laptop may not. */
export function needAlertmanager(ctx: Context): void {
  if (existsSync(ALERTMANAGER)) return;
  if (process.env.CI === 'true') throw new Error(`${ALERTMANAGER} is missing (.ci/apt-packages installs prometheus-alertmanager)`);
  ctx.skip();
}

export class Alertmanager {
  private constructor(
    readonly url: string,
    private readonly proc: ChildProcess,
    private readonly dir: string,
    readonly log: string[],
  ) {}

  static async start(dozvonUrl: string, key: string, team: string): Promise<Alertmanager> {
    const dir = mkdtempSync(path.join(tmpdir(), 'dz-am-'));
    const port = await freePort();
    // Short intervals: the group is re-sent every couple of seconds, as repeat_interval does over hours in production.
    writeFileSync(
      path.join(dir, 'am.yml'),
      [
        'route:',
        '  receiver: dozvon',
        '  group_by: [alertname]',
        '  group_wait: 1s',
        '  group_interval: 1s',
        '  repeat_interval: 2s',
        'receivers:',
        '  - name: dozvon',
        '    opsgenie_configs:',
        `      - api_key: ${key}`,
        `        api_url: ${dozvonUrl}/`,
        '        priority: P1',
        `        responders: [{ type: team, name: ${team} }]`,
        '',
      ].join('\n'),
    );
    const log: string[] = [];
    const proc = spawn(
      ALERTMANAGER,
      [
        `--config.file=${path.join(dir, 'am.yml')}`,
        `--storage.path=${path.join(dir, 'data')}`,
        `--web.listen-address=127.0.0.1:${port}`,
        '--cluster.listen-address=',
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    proc.stdout!.on('data', (d) => log.push(String(d)));
    proc.stderr!.on('data', (d) => log.push(String(d)));
    const am = new Alertmanager(`http://127.0.0.1:${port}`, proc, dir, log);
    const end = Date.now() + 20_000;
    for (;;) {
      const ok = await fetch(`${am.url}/-/ready`, { signal: AbortSignal.timeout(2000) }).then(
        (r) => r.ok,
        () => false,
      );
      if (ok) return am;
      if (Date.now() > end || proc.exitCode !== null) {
        await am.stop();
        throw new Error(`Alertmanager did not start: ${log.join('').slice(-2000)}`);
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  /** POST /api/v2/alerts; `endsAt` in the past resolves the alert. */
  async post(labels: Record<string, string>, endsAt?: Date): Promise<void> {
    const body = [{ labels, annotations: { summary: 'Disk / is 97% full' }, ...(endsAt ? { endsAt: endsAt.toISOString() } : {}) }];
    const r = await fetch(`${this.url}/api/v2/alerts`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(5000),
    });
    if (!r.ok) throw new Error(`Alertmanager refused the alert: ${r.status} ${await r.text()}`);
  }

  async stop(): Promise<void> {
    if (this.proc.exitCode === null) {
      const exited = new Promise((r) => this.proc.once('exit', r));
      this.proc.kill('SIGTERM');
      await exited;
    }
    rmSync(this.dir, { recursive: true, force: true });
  }
}
