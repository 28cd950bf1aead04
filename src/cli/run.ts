import { ConfigError, EXIT_CONFIG, loadConfig } from '../config';
import { closeDeps, createDeps, type Deps } from '../deps';
import { AppError, ValidationError } from '../infra/errors';
import { pendingMigrations } from '../infra/db';
import { createFeatures } from '../composition-root';
import { checkStartup, startupRefusal } from '../startup';
import { UsageError } from './arguments';
import { COMMANDS, usage, type Command } from './commands';

/** sysexits: wrong arguments, and invalid values. */
const EXIT_USAGE = 64;
const EXIT_DATA = 65;
/** sysexits' EX_UNAVAILABLE: a service the command needs (the LDAP directory) did not answer. */
const EXIT_UNAVAILABLE = 69;

/** Where a command's lines go: stdout and stderr in a terminal. */
export interface CliIo {
  out(text: string): void;
  err(text: string): void;
}

const terminal: CliIo = { out: (text) => console.log(text), err: (text) => console.error(text) };

class NotMigratedError extends Error {}

/** Refuses commands that would meet a missing or older schema with a stack trace. */
async function requireSchema(command: Command, deps: Deps): Promise<void> {
  if (!command.needsSchema) return;
  const { completed, pending } = await pendingMigrations(deps.db);
  if (completed === 0) throw new NotMigratedError('the database is not migrated: run `npm run cli -- migrate`');
  if (pending > 0) throw new NotMigratedError(`the database is not fully migrated (${pending} pending): run \`npm run cli -- migrate\``);
}

/**
 * Runs one operator command and returns its exit code: 0 done (or nothing to do), 1
 * refused, 64 wrong arguments, 65 invalid values, 78 settings or database not usable.
 * Arguments are checked before anything is opened.
 */
export async function runCli(argv: string[], io: CliIo = terminal, env: Record<string, string | undefined> = process.env): Promise<number> {
  const [name, ...args] = argv;
  if (!name || name === 'help' || name === '--help') {
    io.out(usage());
    return name ? 0 : EXIT_USAGE;
  }
  const command = COMMANDS.find((c) => c.name === name);
  if (!command) {
    io.err(`Unknown command "${name}".\n\n${usage()}`);
    return EXIT_USAGE;
  }
  let execute: ReturnType<Command['prepare']>;
  try {
    execute = command.prepare(args);
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    io.err(`${name}: ${err.message}\n\nUsage: ${command.forms.map((form) => `npm run cli -- ${form.synopsis}`).join('\n       ')}`);
    return EXIT_USAGE;
  }
  let deps: Deps;
  try {
    const config = loadConfig(env);
    await checkStartup(config);
    deps = await createDeps(config, { skipMigrations: true, breached: { has: () => false, size: 0 } });
  } catch (err) {
    const refusal = startupRefusal(err);
    if (!refusal) throw err;
    io.err(refusal);
    return EXIT_CONFIG;
  }
  const t = deps.catalogues.translator('en');
  try {
    await requireSchema(command, deps);
    await execute({ deps, config: deps.config, services: () => createFeatures(deps).services, out: io.out });
    return 0;
  } catch (err) {
    if (err instanceof NotMigratedError || err instanceof ConfigError) {
      io.err(err.message);
      return EXIT_CONFIG;
    }
    if (err instanceof AppError && err.status === 503) {
      io.err(t(err.messageKey, err.params));
      return EXIT_UNAVAILABLE;
    }
    if (err instanceof ValidationError) {
      for (const [field, message] of Object.entries(err.fields)) io.err(`${field}: ${t(message.key, message.params)}`);
      return EXIT_DATA;
    }
    if (err instanceof AppError) {
      io.err(t(err.messageKey, err.params));
      return 1;
    }
    throw err;
  } finally {
    await closeDeps(deps);
  }
}
