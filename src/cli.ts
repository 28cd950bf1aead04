import { parseArgs } from 'node:util';
import { ConfigError, loadConfig } from './config';
import { closeDeps, createDeps } from './deps';
import { AppError, ValidationError } from './http/errors';
import { parseInput } from './http/validate';
import { migrateLatest, migrateRollback } from './infra/db';
import { createUserSchema } from './features/admin/admin.schemas';
import { createServices } from './services';

const USAGE = `Usage: npm run cli -- <command> [options]

Commands:
  migrate                         apply pending database migrations
  migrate:rollback                undo the last batch of migrations
  users:create --username U --email E --first-name F --last-name L [--admin]
                                  create an account and print a one-time link
                                  (valid for RESET_TOKEN_HOURS) where its owner
                                  chooses a password
  users:promote --admin <username>
                                  give an account the administrator role
  users:demote <username>         take the administrator role away
  users:lock --user <username>    lock an account: no sign-in, no API, sessions end
  users:unlock --user <username>  unlock it again
  sessions:revoke --user <username>
                                  end every session of one account
  sessions:revoke --all           end every signed-in session of every account
  mfa:reset --user <username>     remove an account's authenticator app, recovery
                                  codes and passkeys (a lost device), end its
                                  sessions and tell its owner by mail
`;

async function run(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (!command || command === 'help' || command === '--help') {
    console.log(USAGE);
    return command ? 0 : 64;
  }
  const config = loadConfig();
  const deps = await createDeps(config, { skipMigrations: true, breached: { has: () => false, size: 0 } });
  const t = deps.catalogues.translator('en');
  try {
    switch (command) {
      case 'migrate': {
        const applied = await migrateLatest(deps.db);
        console.log(applied.length ? `Applied: ${applied.join(', ')}` : 'Already up to date.');
        return 0;
      }
      case 'migrate:rollback': {
        const reverted = await migrateRollback(deps.db);
        console.log(reverted.length ? `Reverted: ${reverted.join(', ')}` : 'Nothing to roll back.');
        return 0;
      }
      case 'users:create': {
        const { values } = parseArgs({
          args: rest,
          options: { username: { type: 'string' }, email: { type: 'string' }, 'first-name': { type: 'string' }, 'last-name': { type: 'string' }, admin: { type: 'boolean', default: false } },
        });
        await migrateLatest(deps.db);
        const input = parseInput(createUserSchema, { username: values.username, email: values.email, first_name: values['first-name'], last_name: values['last-name'], admin: values.admin });
        const { user, token } = await createServices(deps).adminUsers.createInvited(input);
        const link = new URL(`/reset-password/${token}`, config.baseUrl).href;
        console.log(`Created ${user.username}${input.admin ? ' (administrator)' : ''}.`);
        console.log(`Send this link to ${user.email}; it works once, for ${config.resetTokenMs / 3_600_000} hours:`);
        console.log(link);
        return 0;
      }
      case 'users:promote':
      case 'users:demote': {
        const { values, positionals } = parseArgs({ args: rest, options: { admin: { type: 'string' } }, allowPositionals: true });
        const username = values.admin ?? positionals[0];
        if (!username) {
          console.error(USAGE);
          return 64;
        }
        const user = await createServices(deps).adminUsers.setRole(username, command === 'users:promote' ? 'admin' : 'user');
        console.log(`${user.username} is now ${user.role === 'admin' ? 'an administrator' : 'a regular user'}.`);
        return 0;
      }
      case 'users:lock':
      case 'users:unlock': {
        const { values } = parseArgs({ args: rest, options: { user: { type: 'string' } } });
        if (!values.user) {
          console.error(`Give --user <username>.\n\n${USAGE}`);
          return 64;
        }
        const user = await createServices(deps).adminUsers.setLocked(values.user, command === 'users:lock');
        console.log(`${user.username} is now ${user.lockedAt ? 'locked; their sessions have ended' : 'unlocked'}.`);
        return 0;
      }
      case 'sessions:revoke': {
        const { values } = parseArgs({ args: rest, options: { user: { type: 'string' }, all: { type: 'boolean', default: false } } });
        if (!values.user === !values.all) {
          console.error(`Give either --user <username> or --all.\n\n${USAGE}`);
          return 64;
        }
        const sessions = createServices(deps).sessions;
        const count = values.user ? await sessions.revokeAllOf(values.user) : await sessions.revokeEveryone();
        console.log(`Ended ${count} session${count === 1 ? '' : 's'}.`);
        return 0;
      }
      case 'mfa:reset': {
        const { values } = parseArgs({ args: rest, options: { user: { type: 'string' } } });
        if (!values.user) {
          console.error(`Give --user <username>.\n\n${USAGE}`);
          return 64;
        }
        await createServices(deps).mfa.resetForUser(values.user);
        console.log(`Removed the second factors and passkeys of ${values.user}, ended their sessions and told them by mail.`);
        return 0;
      }
      default:
        console.error(`Unknown command "${command}".\n\n${USAGE}`);
        return 64;
    }
  } catch (err) {
    if (err instanceof ValidationError) {
      for (const [field, message] of Object.entries(err.fields)) console.error(`${field}: ${t(message.key, message.params)}`);
      return 65;
    }
    if (err instanceof AppError) {
      console.error(t(err.messageKey, err.params));
      return 1;
    }
    throw err;
  } finally {
    await closeDeps(deps);
  }
}

run(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err instanceof ConfigError ? err.message : err);
    process.exit(1);
  },
);
