/** `dozvon users …`: the people dozvon can page. */
import type { Command } from 'commander';
import { usersAdd, usersImport, usersList, usersRemove, usersSet, collectContact } from '../users';
import { usersVerify } from '../ops';
import type { CliContext } from './context';

const PHONE_HELP =
  'E.164 number (+15551234567) or an extension, optionally labelled (desk=+15551234567); repeat for more phones, rung in that order';

export function registerUserCommands(program: Command, ctx: CliContext): void {
  const { out } = ctx;
  const users = program.command('users').description('manage the people dozvon can page');
  users
    .command('add')
    .description('add a person')
    .requiredOption('--email <email>', 'email, the join key with OnCall')
    .requiredOption('--name <name>', 'name spoken and shown')
    .option('--phone <[label=]phone>', PHONE_HELP, collectContact)
    .option('--lang <lang>', 'en or ru')
    .option('--pin <pin>', '4-8 digit PIN for the hotline')
    .option('--channels <list>', 'ordered channels, e.g. voice,sms,push')
    .option('--role <role>', 'admin, editor, viewer or none (OnCall sync lists admins and editors)')
    .option('--timezone <tz>', 'IANA time zone for shift notices, e.g. Europe/Moscow')
    .option('--contact <key=value>', 'a contact for SMS-less channels, e.g. fcm_device=…, telegram=…; repeatable', collectContact)
    .action(async (flags) => {
      ctx.exit(await ctx.withUsers((dir) => usersAdd(dir, flags, out())));
    });
  users
    .command('set <email>')
    .description('change a person: only the options given are changed')
    .option('--name <name>', 'name spoken and shown')
    .option('--phone <[label=]phone>', `${PHONE_HELP}; replaces the whole list`, collectContact)
    .option('--lang <lang>', 'en or ru')
    .option('--pin <pin>', '4-8 digit PIN for the hotline')
    .option('--channels <list>', 'ordered channels, e.g. voice,sms,push')
    .option('--role <role>', 'admin, editor, viewer or none')
    .option('--timezone <tz>', 'IANA time zone for shift notices')
    .option('--contact <key=value>', 'add or replace a contact, e.g. fcm_device=…; repeatable', collectContact)
    .action(async (email: string, flags) => {
      ctx.exit(await ctx.withUsers((dir) => usersSet(dir, email, flags, out())));
    });
  users
    .command('list')
    .description('list everyone (numbers masked)')
    .action(async () => {
      ctx.exit(await ctx.withUsers((dir) => usersList(dir.users, out())));
    });
  users
    .command('remove <email>')
    .description('remove a person')
    .action(async (email: string) => {
      ctx.exit(await ctx.withUsers((dir) => usersRemove(dir, email, out())));
    });
  users
    .command('verify <email>')
    .description('send a 6-digit code by SMS or read it out in a call (valid 10 minutes), or check one with --code')
    .option('--sms', 'send the code by SMS')
    .option('--call', 'read the code out in a call (landlines, SIP extensions)')
    .option('--code <digits>', 'confirm the code the person received')
    .option('--wait', 'with --call: wait for the call to end and print its outcome')
    .option('--phone <phone>', "which of the person's phones to verify (default: the first); each is verified on its own")
    .option('--server <url>', 'the running dozvon (default: DOZVON_LISTEN on this host)')
    .action(async (email: string, flags) => {
      ctx.exit(await usersVerify(ctx.config(), email, flags, out()));
    });
  users
    .command('import <file>')
    .description('add or update everyone listed in a YAML file (validated before anything is written)')
    .action(async (file: string) => {
      ctx.exit(await ctx.withUsers((dir) => usersImport(dir, file, out())));
    });
}
