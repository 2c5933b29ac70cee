/**
 * The root hook that replaces mocha's --exit: a run that leaves something open fails and names
 * it (and the test that opened it); a run that closes everything ends by itself with code 0.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { expect } from 'chai';

const ROOT = join(__dirname, '..', '..');

function mocha(fixture: string): Promise<{ code: number | null; stderr: string; ms: number }> {
  const args = [
    require.resolve('mocha/bin/mocha.js'),
    '--no-config',
    '--require',
    'tsx/cjs',
    '--require',
    'test/helpers/leak-check.ts',
    '--extension',
    'ts',
    join('test/fixtures/leak-check', fixture),
  ];
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const child = spawn(process.execPath, args, { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    // A leak the check misses would hang this child: bound it well past the check's own wait.
    const timer = setTimeout(
      () => (child.kill('SIGKILL'), reject(new Error(`mocha on ${fixture} did not exit; stderr: ${stderr}`))),
      30_000,
    );
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stderr, ms: Date.now() - started });
    });
  });
}

describe('leak check', function () {
  this.timeout(40_000);

  it('fails a run that leaves a server and a timer open, naming each and the test that opened it', async () => {
    const r = await mocha('leaky.ts');
    expect(r.code).to.equal(1);
    expect(r.stderr).to.match(/the process did not exit \d+ ms after the last test/);
    expect(r.stderr).to.match(
      /Server listening on \{"address":"127\.0\.0\.1".*in "a forgetful suite leaves a server listening and a timer pending"/,
    );
    expect(r.stderr).to.match(/Timeout set at .*leaky\.ts:7:\d+\).*in "a forgetful suite leaves a server listening and a timer pending"/);
  });

  it('lets a tidy run end by itself with code 0', async () => {
    const r = await mocha('tidy.ts');
    expect(r.code).to.equal(0);
    expect(r.stderr).to.not.include('leak check');
  });
});
