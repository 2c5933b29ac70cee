/**
 * npm run asterisk:test — builds (cached) and runs the real-Asterisk suite's Asterisk in the
 * foreground, configured as the suite configures it (dialplan/ installed, phones on the far side
 * of the trunk), and prints how to point `npm test` at it. Ctrl-C stops it.
 *
 *   DOZVON_TEST_ASTERISK_SRC  the Asterisk source tarball (default: ../shared/asterisk/asterisk-*.tar.gz)
 *   DOZVON_TEST_ASTERISK_DIR  where its folder goes (default: a new one under the temp dir)
 */
import { mkdirSync } from 'node:fs';
import { buildAsterisk, RealAsterisk } from '../../test/real/asterisk/process';
import { sourceTarball } from '../../test/real/asterisk/source';

async function main(): Promise<void> {
  process.env.DOZVON_TEST_ASTERISK_SRC = sourceTarball();
  const prefix = await (buildAsterisk() as Promise<string>);
  const runDir = process.env.DOZVON_TEST_ASTERISK_DIR;
  if (runDir) mkdirSync(runDir, { recursive: true });
  const a = await RealAsterisk.start(prefix, {}, runDir);
  console.log(`Asterisk ${prefix} is up; its folder (config, log/full, rec/) is ${a.layout.runDir}. Run the suite against it with:\n`);
  console.log(`  DOZVON_TEST_ARI_URL=${a.ariUrl} DOZVON_TEST_ASTERISK_DIR=${a.layout.runDir} npm test\n`);
  console.log('Ctrl-C stops it.');
  const stop = () => void a.stop(true).then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  await new Promise(() => undefined);
}

main().catch((e) => {
  console.error(e instanceof Error ? e.message : e);
  process.exitCode = 1;
});
