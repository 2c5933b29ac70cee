/**
 * Whether the real-Asterisk suite runs, and one Asterisk per test file when it does.
 *
 * - DOZVON_TEST_ASTERISK_SRC=<asterisk-X.tar.gz>: build it (cached, scripts/asterisk/build.sh)
 *   and start a private instance per file.
 * - neither: every real-Asterisk test is skipped, and the run says so plainly;
 *   DOZVON_TEST_REQUIRE_ASTERISK=1 (set by .ci/run) turns that skip into a failure.
 */
import type { Context, Suite } from 'mocha';
import { buildAsterisk, RealAsterisk, StartOptions } from './asterisk/process';

let announced = false;

export function realAsteriskWanted(): boolean {
  return Boolean(process.env.DOZVON_TEST_ASTERISK_SRC);
}

function skipOrFail(ctx: Context): void {
  const why = 'real-Asterisk suite SKIPPED: set DOZVON_TEST_ASTERISK_SRC=<path to asterisk-22.x.tar.gz> (with pjproject-*.tar.bz2 beside it) to run it';
  if (process.env.DOZVON_TEST_REQUIRE_ASTERISK === '1') throw new Error(`${why} (DOZVON_TEST_REQUIRE_ASTERISK=1 makes this a failure)`);
  if (!announced) {
    announced = true;
    process.stderr.write(`\n  *** ${why} ***\n\n`);
  }
  ctx.skip();
}

/** Call inside describe(): gives the file its own running Asterisk (after the build). */
export function useRealAsterisk(suite: Suite, opts: StartOptions = {}): () => RealAsterisk {
  let asterisk: RealAsterisk | null = null;
  suite.timeout(120_000);
  suite.beforeAll(async function () {
    if (!realAsteriskWanted()) return skipOrFail(this);
    // A first build takes minutes; later runs find it in the cache at once.
    this.timeout(30 * 60_000);
    const prefix = await buildAsterisk();
    asterisk = await RealAsterisk.start(prefix as string, opts);
  });
  suite.afterAll(async function () {
    this.timeout(30_000);
    await asterisk?.stop(suite.tests.some((t) => t.state === 'failed'));
  });
  return () => {
    if (!asterisk) throw new Error('the real Asterisk did not start');
    return asterisk;
  };
}
