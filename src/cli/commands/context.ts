/** What every command group needs from the program: output, configuration, the database, the exit code. */
import type { Command } from 'commander';
import { loadConfig, Config } from '../../config';
import { UsersRepo } from '../../directory/users-repo';
import { makeOut, EXIT, Out } from '../output';
import type { CliDirectory } from '../users';
import { People } from '../../directory/people-service';
import { AuditRepo } from '../../audit';
import { cliActor } from '../audit';
import { openCliDb } from '../db';

export interface CliIo {
  env?: NodeJS.ProcessEnv;
  stdout?: NodeJS.WritableStream;
  stderr?: NodeJS.WritableStream;
}

export interface CliContext {
  /** Built when a command runs: --json is known only after parsing. */
  out(): Out;
  config(): Config;
  /** --create: the command may create a database that does not exist yet. */
  create(): boolean;
  /** Opens the database for one command, with the people service acting as the CLI's OS account. */
  withUsers(fn: (dir: CliDirectory) => Promise<number>): Promise<number>;
  /** The command's exit code, returned by runCli once parsing ends. */
  exit(code: number): void;
  code(): number;
}

export function cliContext(program: Command, io: CliIo): CliContext {
  let code: number = EXIT.ok;
  const config = (): Config => loadConfig({ env: io.env });
  const create = (): boolean => Boolean(program.opts().create);
  return {
    out: () => makeOut(Boolean(program.opts().json), io.stdout, io.stderr),
    config,
    create,
    async withUsers(fn) {
      const cfg = config();
      const db = await openCliDb(cfg, { create: create() });
      try {
        return await fn({
          users: new UsersRepo(db),
          people: new People({ db, audit: new AuditRepo(db, Date.now), defaultLang: cfg.lang }),
          actor: cliActor(),
        });
      } finally {
        await db.destroy();
      }
    },
    exit: (c) => void (code = c),
    code: () => code,
  };
}
