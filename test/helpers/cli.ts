/** The dozvon CLI run in this process, with what it prints captured. */
import { Writable } from 'node:stream';
import { runCli } from '../../src/cli/program';

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

function capture(): { stream: Writable; text: () => string } {
  let buf = '';
  return { stream: new Writable({ write: (c, _e, cb) => ((buf += c.toString()), cb()) }), text: () => buf };
}

/** `dozvon <args> --create` with `env` as its whole environment: the database is made on first use. */
export async function runCliCaptured(args: string[], env: Record<string, string>): Promise<CliRun> {
  const out = capture();
  const err = capture();
  const code = await runCli([...args, '--create'], { env, stdout: out.stream, stderr: err.stream });
  return { code, stdout: out.text(), stderr: err.text() };
}
