/**
 * Whether the real-Asterisk suite runs, and one Asterisk per test file when it does.
 *
 * - DOZVON_TEST_ASTERISK_SRC=<asterisk-X.tar.gz>: build it (cached, scripts/asterisk/build.sh)
 *   and start a private instance per file.
 * - DOZVON_TEST_ARI_URL=<url> with DOZVON_TEST_ASTERISK_DIR=<its folder>: use an Asterisk you run
 *   with the test configuration (`npm run asterisk:test` starts one and prints both); every file
 *   shares it, and stories that need a differently configured Asterisk say so and skip.
 * - neither: every real-Asterisk test is skipped, and the run says so plainly;
 *   DOZVON_TEST_REQUIRE_ASTERISK=1 (set by .ci/run) turns that skip into a failure.
 */
import type { Context, Suite } from 'mocha';
import { buildAsterisk, RealAsterisk, StartOptions } from './asterisk/process';

let announced = false;

export function realAsteriskWanted(): boolean {
  return Boolean(process.env.DOZVON_TEST_ASTERISK_SRC || process.env.DOZVON_TEST_ARI_URL);
}

function skipOrFail(ctx: Context): void {
  const why =
    'real-Asterisk suite SKIPPED: set DOZVON_TEST_ASTERISK_SRC=<path to asterisk-22.x.tar.gz> (with pjproject-*.tar.bz2 beside it), or DOZVON_TEST_ARI_URL and DOZVON_TEST_ASTERISK_DIR (npm run asterisk:test), to run it';
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
    const ariUrl = process.env.DOZVON_TEST_ARI_URL;
    if (ariUrl && !process.env.DOZVON_TEST_ASTERISK_SRC) {
      if (opts.prompts === false) {
        process.stderr.write(`  (skipped with DOZVON_TEST_ARI_URL: "${suite.title}" needs an Asterisk without dozvon's prompts)\n`);
        return this.skip();
      }
      if (!process.env.DOZVON_TEST_ASTERISK_DIR)
        throw new Error('DOZVON_TEST_ARI_URL needs DOZVON_TEST_ASTERISK_DIR (the folder npm run asterisk:test printed)');
      asterisk = await RealAsterisk.attach(ariUrl, process.env.DOZVON_TEST_ASTERISK_DIR);
      return;
    }
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
