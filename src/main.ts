/** Entry point of the `dozvon` binary. */
import { runCli } from './cli/program';

runCli(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`dozvon: ${(err as Error)?.stack ?? String(err)}\n`);
    process.exitCode = 1;
  },
);
