import { createUserSchema } from '../features/admin/admin.schemas';
import { OPERATOR_CONTEXT } from '../features/admin/actor-context';
import { parseInput } from '../http/validate';
import { migrateLatest, migrateRollback, migrateRollbackAll, withMigrationConnection } from '../infra/db';
import { usernameFrom, UsageError } from './arguments';
import { command, type Command, type CommandContext } from './command';
import { DIRECTORY_COMMANDS } from './directory-commands';
import { PROVIDER_COMMANDS } from './provider-commands';

export type { Command, CommandContext };

const user = { type: 'string' } as const;

/** A command on one account: the username on its own or after --user (and the legacy flags given). */
function onAccount(name: string, summary: string[], flags: string[], run: (username: string, context: CommandContext) => Promise<void>): Command {
  const shown = flags.map((flag) => `--${flag}`).join(' | ');
  return command({
    name,
    forms: [{ synopsis: `${name} [${shown}] <username>`, summary }],
    options: Object.fromEntries(flags.map((flag) => [flag, user])),
    positionals: 1,
    needsSchema: true,
    input: (args) => usernameFrom(args, flags),
    run,
  });
}

export const COMMANDS: Command[] = [
  command({
    name: 'migrate',
    forms: [{ synopsis: 'migrate', summary: ['apply pending database migrations'] }],
    options: {},
    positionals: 0,
    needsSchema: false,
    input: () => undefined,
    async run(_, { deps, config, out }) {
      const applied = await withMigrationConnection(deps.db, { databaseUrl: config.databaseUrl }, migrateLatest);
      out(applied.length ? `Applied: ${applied.join(', ')}` : 'Already up to date.');
    },
  }),
  command({
    name: 'migrate:rollback',
    forms: [
      { synopsis: 'migrate:rollback', summary: ['undo the last batch of migrations (what the last', '`migrate` applied)'] },
      { synopsis: 'migrate:rollback --all --yes-drop-everything', summary: ['undo every migration: drops every table and all data'] },
    ],
    options: { all: { type: 'boolean', default: false }, 'yes-drop-everything': { type: 'boolean', default: false } },
    positionals: 0,
    needsSchema: false,
    input({ values }) {
      if (values.all && !values['yes-drop-everything']) throw new UsageError('--all drops every table and all data; add --yes-drop-everything to confirm');
      if (!values.all && values['yes-drop-everything']) throw new UsageError('--yes-drop-everything goes with --all');
      return values.all === true;
    },
    async run(all, { deps, config, out }) {
      const reverted = await withMigrationConnection(deps.db, { databaseUrl: config.databaseUrl }, all ? migrateRollbackAll : migrateRollback);
      out(reverted.length ? `Reverted: ${reverted.join(', ')}` : 'Nothing to roll back.');
    },
  }),
  command({
    name: 'users:create',
    forms: [
      {
        synopsis: 'users:create --username U --email E --first-name F --last-name L [--admin]',
        summary: ['create an account and print a one-time link', '(valid for RESET_TOKEN_HOURS) where its owner', 'chooses a password'],
      },
    ],
    options: { username: { type: 'string' }, email: { type: 'string' }, 'first-name': { type: 'string' }, 'last-name': { type: 'string' }, admin: { type: 'boolean', default: false } },
    positionals: 0,
    needsSchema: false,
    input: ({ values }) => ({ username: values.username, email: values.email, first_name: values['first-name'], last_name: values['last-name'], admin: values.admin }),
    async run(fields, { deps, config, services, out }) {
      await withMigrationConnection(deps.db, { databaseUrl: config.databaseUrl }, migrateLatest);
      const input = parseInput(createUserSchema, fields);
      const { user: created, token } = await services().adminInvitations.createInvited(input, OPERATOR_CONTEXT);
      out(`Created ${created.username}${input.admin ? ' (administrator)' : ''}.`);
      out(`Send this link to ${created.email}; it works once, for ${config.resetTokenMs / 3_600_000} hours:`);
      out(new URL(`/reset-password/${token}`, config.baseUrl).href);
    },
  }),
  onAccount('users:promote', ['give an account the administrator role'], ['admin', 'user'], async (username, { services, out }) => {
    const { user: account, changed } = await services().adminRoles.changeRole(username, 'admin', OPERATOR_CONTEXT);
    out(`${account.username} is ${changed ? 'now' : 'already'} an administrator.`);
  }),
  onAccount('users:demote', ['take the administrator role away'], ['user'], async (username, { services, out }) => {
    const { user: account, changed } = await services().adminRoles.changeRole(username, 'user', OPERATOR_CONTEXT);
    out(`${account.username} is ${changed ? 'now' : 'already'} a regular user.`);
  }),
  onAccount('users:lock', ['lock an account: no sign-in, no API, sessions end'], ['user'], async (username, { services, out }) => {
    const { user: account, changed } = await services().adminUsers.setLocked(username, true);
    out(changed ? `${account.username} is now locked; their sessions have ended.` : `${account.username} is already locked.`);
  }),
  onAccount('users:unlock', ['unlock it again'], ['user'], async (username, { services, out }) => {
    const { user: account, changed } = await services().adminUsers.setLocked(username, false);
    out(changed ? `${account.username} is now unlocked.` : `${account.username} is not locked.`);
  }),
  command({
    name: 'sessions:revoke',
    forms: [
      { synopsis: 'sessions:revoke [--user] <username>', summary: ['end every session of one account'] },
      { synopsis: 'sessions:revoke --all', summary: ['end every signed-in session of every account'] },
    ],
    options: { user, all: { type: 'boolean', default: false } },
    positionals: 1,
    needsSchema: true,
    input(args) {
      if (!args.values.all && args.values.user === undefined && args.positionals.length === 0) throw new UsageError('give a username or --all');
      if (!args.values.all) return usernameFrom(args, ['user']);
      if (args.values.user !== undefined || args.positionals.length > 0) throw new UsageError('give either a username or --all');
      return undefined;
    },
    async run(username, { services, out }) {
      const { sessions } = services();
      const count = username === undefined ? await sessions.revokeEveryone() : await services().adminPersonActions.endSessions(OPERATOR_CONTEXT, username);
      out(`Ended ${count} session${count === 1 ? '' : 's'}.`);
    },
  }),
  onAccount(
    'mfa:reset',
    ['remove an account\'s authenticator app, recovery', 'codes and passkeys (a lost device), end its', 'sessions and tell its owner by mail'],
    ['user'],
    async (username, { services, out }) => {
      if (await services().adminPersonActions.resetTwoStep(OPERATOR_CONTEXT, username)) {
        out(`Removed the second factors and passkeys of ${username}, ended their sessions and told them by mail.`);
      } else {
        out(`${username} has no second factor or passkey: nothing to remove.`);
      }
    },
  ),
  ...PROVIDER_COMMANDS,
  ...DIRECTORY_COMMANDS,
];

const COLUMN = 34;

/** The usage text, generated from the command table so that it says what the commands do. */
export function usage(commands: Command[] = COMMANDS): string {
  const lines = commands.flatMap((cmd) =>
    cmd.forms.flatMap(({ synopsis, summary }) => {
      const head = `  ${synopsis}`;
      const [first, ...more] = summary;
      const indent = ' '.repeat(COLUMN);
      const start = head.length < COLUMN ? [`${head.padEnd(COLUMN)}${first}`] : [head, `${indent}${first}`];
      return [...start, ...more.map((line) => `${indent}${line}`)];
    }),
  );
  return [
    'Usage: npm run cli -- <command> [options]   (in a built image: node dist/src/cli.js)',
    '',
    'Commands:',
    ...lines,
    '',
    'Exit codes: 0 done (or nothing to do), 1 refused (no such account), 64 wrong',
    'arguments, 65 invalid values, 78 settings or database not usable (bad setting,',
    'back-end unreachable, database not migrated, DATA_DIR in use by the server).',
    '',
  ].join('\n');
}
