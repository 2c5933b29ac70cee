/**
 * The `dozvon` command line; the only file that imports commander. Exit codes: 0 ok,
 * 1 failure, 2 bad usage or input, 78 bad configuration.
 */
import { Command, CommanderError } from 'commander';
import { loadConfig, describeConfig, ConfigError, Config } from '../config';
import { makeOut, EXIT, table, Out } from './output';
import { openDb } from '../db/knex';
import { migrate } from '../db/migrations';
import { UsersRepo } from '../db/users-repo';
import { People } from '../directory/people-service';
import { AuditRepo } from '../audit';
import { usersAdd, usersImport, usersList, usersRemove, usersSet, collectContact, type CliDirectory } from './users';
import { cliActor } from './audit';
import { openCliDb, CliRefusal } from './db';
import { serve } from './serve';
import { testCall, checkOnce, heartbeatsAdd, heartbeatsList, heartbeatsRemove, heartbeatsPause, usersVerify } from './ops';

export interface CliIo {
  env?: NodeJS.ProcessEnv;
  stdout?: NodeJS.WritableStream;
  stderr?: NodeJS.WritableStream;
}

export async function runCli(argv: string[], io: CliIo = {}): Promise<number> {
  let code: number = EXIT.ok;
  const program = new Command('dozvon')
    .description('Self-hosted voice paging for on-call engineers (a Grafana OnCall cloud stand-in on Asterisk)')
    .option('--json', 'print JSON instead of human-readable text')
    .option('--create', 'create the database if it does not exist (serve and migrate always may)')
    .exitOverride()
    .configureOutput({ writeOut: (s) => (io.stdout ?? process.stdout).write(s), writeErr: (s) => (io.stderr ?? process.stderr).write(s) });

  const out = (): Out => makeOut(Boolean(program.opts().json), io.stdout, io.stderr);
  const config = (): Config => loadConfig({ env: io.env });
  const create = (): boolean => Boolean(program.opts().create);
  const withUsers = async (fn: (dir: CliDirectory) => Promise<number>): Promise<number> => {
    const cfg = config();
    const db = await openCliDb(cfg, { create: create() });
    try {
      return await fn({ users: new UsersRepo(db), people: new People({ db, audit: new AuditRepo(db, Date.now), defaultLang: cfg.lang }), actor: cliActor() });
    } finally {
      await db.destroy();
    }
  };

  program
    .command('serve')
    .description('run dozvon: HTTP API, telephony, dispatch and watchers (migrates the database first)')
    .action(async () => {
      code = await serve(config());
    });

  program
    .command('config')
    .description('print the effective configuration, secrets masked')
    .action(() => {
      const desc = describeConfig(config());
      const rows = Object.entries(desc).map(([name, v]) => ({ name, value: v.value, source: v.source }));
      out().print(table(rows, ['name', 'value', 'source']), desc);
    });

  program
    .command('migrate')
    .description('apply database migrations and exit')
    .action(async () => {
      const cfg = config();
      const db = openDb(cfg.db, { sqliteSync: cfg.sqliteSync });
      try {
        const applied = await migrate(db);
        out().print(applied.length ? `applied: ${applied.join(', ')}` : 'database is up to date', { applied });
      } finally {
        await db.destroy();
      }
    });

  const users = program.command('users').description('manage the people dozvon can page');
  users
    .command('add')
    .description('add a person')
    .requiredOption('--email <email>', 'email, the join key with OnCall')
    .requiredOption('--name <name>', 'name spoken and shown')
    .option('--phone <phone>', 'E.164 number (+15551234567) or an extension')
    .option('--lang <lang>', 'en or ru')
    .option('--pin <pin>', '4-8 digit PIN for the hotline')
    .option('--channels <list>', 'ordered channels, e.g. voice,sms,push')
    .option('--role <role>', 'admin, editor, viewer or none (OnCall sync lists admins and editors)')
    .option('--timezone <tz>', 'IANA time zone for shift notices, e.g. Europe/Moscow')
    .option('--contact <key=value>', 'a contact for SMS-less channels, e.g. fcm_device=…, telegram=…; repeatable', collectContact)
    .action(async (flags) => {
      code = await withUsers((dir) => usersAdd(dir, flags, out()));
    });
  users
    .command('set <email>')
    .description('change a person: only the options given are changed')
    .option('--name <name>', 'name spoken and shown')
    .option('--phone <phone>', 'E.164 number (+15551234567) or an extension')
    .option('--lang <lang>', 'en or ru')
    .option('--pin <pin>', '4-8 digit PIN for the hotline')
    .option('--channels <list>', 'ordered channels, e.g. voice,sms,push')
    .option('--role <role>', 'admin, editor, viewer or none')
    .option('--timezone <tz>', 'IANA time zone for shift notices')
    .option('--contact <key=value>', 'add or replace a contact, e.g. fcm_device=…; repeatable', collectContact)
    .action(async (email: string, flags) => {
      code = await withUsers((dir) => usersSet(dir, email, flags, out()));
    });
  users
    .command('list')
    .description('list everyone (numbers masked)')
    .action(async () => {
      code = await withUsers((dir) => usersList(dir.users, out()));
    });
  users
    .command('remove <email>')
    .description('remove a person')
    .action(async (email: string) => {
      code = await withUsers((dir) => usersRemove(dir, email, out()));
    });
  users
    .command('verify <email>')
    .description('send a 6-digit code by SMS or read it out in a call (valid 10 minutes), or check one with --code')
    .option('--sms', 'send the code by SMS')
    .option('--call', 'read the code out in a call (landlines, SIP extensions)')
    .option('--code <digits>', 'confirm the code the person received')
    .option('--wait', 'with --call: wait for the call to end and print its outcome')
    .option('--server <url>', 'the running dozvon (default: DOZVON_LISTEN on this host)')
    .action(async (email: string, flags) => {
      code = await usersVerify(config(), email, flags, out());
    });
  users
    .command('import <file>')
    .description('add or update everyone listed in a YAML file (validated before anything is written)')
    .action(async (file: string) => {
      code = await withUsers((dir) => usersImport(dir, file, out()));
    });

  program
    .command('call')
    .description('place a test call through the running server and print the outcome (exit 0 when a digit was pressed)')
    .requiredOption('--to <email>', 'the person to call')
    .requiredOption('--text <text>', 'what to read out')
    .option('--server <url>', 'the running dozvon (default: DOZVON_LISTEN on this host)')
    .option('--wait <seconds>', 'how long to wait for the outcome', '180')
    .action(async (flags) => {
      code = await testCall(config(), flags, out());
    });

  program
    .command('check')
    .description('run the self-checks once (database, ARI, senders, OnCall, speech, heartbeats): ok, degraded, down or not configured; exit 1 only if one is down')
    .action(async () => {
      code = await checkOnce(config(), out(), create());
    });

  const hb = program.command('heartbeats').description("dead man's switches that page when a system stops pinging");
  hb.command('add <name>')
    .description('watch a heartbeat: page people when no ping arrives for --every plus --grace')
    .requiredOption('--every <duration>', 'expected ping period, e.g. 5m')
    .option('--grace <duration>', 'extra time before it is down, e.g. 1m', '0s')
    .option('--page <emails>', 'comma-separated emails of people in the directory to page (default: heartbeats.page in the config file)')
    .option('--kind <kind>', 'healthchecks (default), opsgenie, alertmanager, peer')
    .action(async (name: string, flags) => {
      code = await heartbeatsAdd(config(), name, flags, out(), create());
    });
  hb.command('list')
    .description('list heartbeats with their state and last ping')
    .action(async () => {
      code = await heartbeatsList(config(), out(), create());
    });
  hb.command('remove <name>')
    .description('stop watching a heartbeat and delete its history (declared ones are removed from the config file)')
    .action(async (name: string) => {
      code = await heartbeatsRemove(config(), name, out(), create());
    });
  hb.command('pause <name>')
    .description('stop expecting pings (no page while paused); the history records it')
    .action(async (name: string) => {
      code = await heartbeatsPause(config(), name, true, out(), create());
    });
  hb.command('resume <name>')
    .description('expect pings again: a fresh --every + --grace window starts now')
    .action(async (name: string) => {
      code = await heartbeatsPause(config(), name, false, out(), create());
    });

  try {
    await program.parseAsync(argv, { from: 'user' });
  } catch (e) {
    if (e instanceof CommanderError) {
      if (e.code === 'commander.helpDisplayed' || e.code === 'commander.version' || e.code === 'commander.help') return EXIT.ok;
      return EXIT.usage;
    }
    if (e instanceof CliRefusal) {
      out().error(e.message);
      return e.exitCode;
    }
    if (e instanceof ConfigError) {
      out().error(`configuration: ${e.message}`);
      return EXIT.config;
    }
    out().error((e as Error).message);
    return EXIT.failure;
  }
  return code;
}
