import { COMMANDS, usage } from '../../src/cli/commands';
import { operatorCliOnOwnDatabase } from '../helpers/operator-cli';
import { startScript } from '../helpers/server-process';

// Every command opens the database anew: minutes on a busy machine.
jest.setTimeout(300_000);

const { cli, env, openDatabase } = operatorCliOnOwnDatabase();

/** The same, as a process of its own. */
async function cliProcess(...args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const run = startScript('cli.ts', env(), args);
  const code = await run.exited;
  return { code, stdout: run.stdout(), stderr: run.stderr() };
}

/** The commands that act on one account, each with a documented form and the username on its own. */
const ACCOUNT_COMMANDS = ['users:promote', 'users:demote', 'users:lock', 'users:unlock', 'sessions:revoke', 'mfa:reset'];

describe('Operator commands: usage and arguments', () => {
  it('the usage lists every command in the table, with exactly the options each accepts', () => {
    const text = usage();
    for (const command of COMMANDS) {
      const synopses = command.forms.map((form) => form.synopsis);
      for (const synopsis of synopses) expect(text).toContain(`  ${synopsis}`);
      const shown = new Set(synopses.flatMap((synopsis) => [...synopsis.matchAll(/--([\w-]+)/g)].map((m) => m[1])));
      expect({ command: command.name, options: [...shown].sort() }).toEqual({ command: command.name, options: Object.keys(command.options).sort() });
      expect({ command: command.name, positional: synopses.some((s) => /<[\w-]+>/.test(s)) }).toEqual({ command: command.name, positional: command.positionals > 0 });
    }
    const listed = [...text.matchAll(/^ {2}([a-z]+(?::[a-z]+)?)\b/gm)].map((m) => m[1]);
    expect([...new Set(listed)]).toEqual(COMMANDS.map((c) => c.name));
  });

  it('as a process: prints the usage for help, refuses an unknown command or option with 64, and an unmigrated database with 78', async () => {
    const [help, unknown, option, setting] = await Promise.all([cliProcess('help'), cliProcess('users:frobnicate'), cliProcess('users:lock', '--bogus'), cliProcess('users:lock', 'ada')]);
    expect(help.code).toBe(0);
    expect(help.stdout.trim()).toBe(usage().trim());
    expect(unknown.code).toBe(64);
    expect(unknown.stderr).toContain('Unknown command "users:frobnicate".');
    expect(option.code).toBe(64);
    expect(option.stderr.trimEnd()).toMatch(/^users:lock: unknown option --bogus\n\nUsage: npm run cli -- users:lock \[--user\] <username>$/);
    expect(setting.code).toBe(78);
    expect(setting.stderr.trim()).toBe('the database is not migrated: run `npm run cli -- migrate`');
  });

  it("refuses an unknown option, an extra argument or a missing username with 64 and the command's usage", async () => {
    const cases: [string[], string][] = [
      ...COMMANDS.map((c): [string[], string] => [[c.name, '--bogus'], 'unknown option --bogus']),
      ...ACCOUNT_COMMANDS.map((name): [string[], string] => [[name, 'ada', 'extra'], 'unexpected argument "extra"']),
      ...ACCOUNT_COMMANDS.map((name): [string[], string] => [[name], name === 'sessions:revoke' ? 'give a username or --all' : 'give the username']),
      ...ACCOUNT_COMMANDS.map((name): [string[], string] => [[name, '--user', 'ada', 'ada'], 'give the username once']),
      ...ACCOUNT_COMMANDS.map((name): [string[], string] => [[name, '--user'], '--user needs a value']),
      [['migrate', 'now'], 'unexpected argument "now"'],
      [['sessions:revoke', '--all', 'ada'], 'give either a username or --all'],
      [['migrate:rollback', '--all'], '--all drops every table and all data; add --yes-drop-everything to confirm'],
      [['migrate:rollback', '--yes-drop-everything'], '--yes-drop-everything goes with --all'],
    ];
    for (const [args, message] of cases) {
      const result = await cli(...args);
      const command = COMMANDS.find((c) => c.name === args[0]);
      expect({ args, code: result.code, first: result.stderr.split('\n')[0] }).toEqual({ args, code: 64, first: `${args[0]}: ${message}` });
      expect(result.stderr).toContain(`Usage: npm run cli -- ${command?.forms[0]?.synopsis}`);
    }
  });
});

describe('Operator commands on the database', () => {
  it('on a database that is not migrated, every command but migrate and users:create says so, with 78 and no stack', async () => {
    for (const args of [['users:promote', 'ada'], ['users:demote', 'ada'], ['users:lock', 'ada'], ['users:unlock', '--user', 'ada'], ['sessions:revoke', '--all'], ['mfa:reset', 'ada']]) {
      const result = await cli(...args);
      expect({ args, code: result.code, stderr: result.stderr.trim() }).toEqual({ args, code: 78, stderr: 'the database is not migrated: run `npm run cli -- migrate`' });
    }
  });

  it('says there is no such account with 1, for every command on one account', async () => {
    expect((await cli('migrate')).code).toBe(0);
    for (const name of ACCOUNT_COMMANDS) {
      const result = await cli(name, 'nobody');
      expect({ name, code: result.code, stderr: result.stderr.trim() }).toEqual({ name, code: 1, stderr: 'There is no account with that username.' });
    }
  });

  it('takes the username on its own or after --user; doing a thing twice changes and records it once', async () => {
    expect((await cli('users:create', '--username', 'ada', '--email', 'ada@example.com', '--first-name', 'Ada', '--last-name', 'Lovelace')).code).toBe(0);
    // Another administrator, so that demoting ada does not leave the service without one.
    expect((await cli('users:create', '--username', 'grace', '--email', 'grace@example.com', '--first-name', 'Grace', '--last-name', 'Hopper', '--admin')).code).toBe(0);
    const said = async (...args: string[]) => {
      const result = await cli(...args);
      expect({ args, code: result.code, stderr: result.stderr }).toEqual({ args, code: 0, stderr: '' });
      return result.stdout.trim();
    };
    expect(await said('users:lock', 'ada')).toBe('ada is now locked; their sessions have ended.');
    expect(await said('users:lock', '--user', 'ada')).toBe('ada is already locked.');
    expect(await said('users:unlock', 'ada')).toBe('ada is now unlocked.');
    expect(await said('users:unlock', '--user', 'ada')).toBe('ada is not locked.');
    expect(await said('users:promote', '--admin', 'ada')).toBe('ada is now an administrator.');
    expect(await said('users:promote', 'ada')).toBe('ada is already an administrator.');
    expect(await said('users:demote', 'ada')).toBe('ada is now a regular user.');
    expect(await said('users:demote', '--user', 'ada')).toBe('ada is already a regular user.');
    expect(await said('sessions:revoke', 'ada')).toBe('Ended 0 sessions.');
    expect(await said('mfa:reset', 'ada')).toBe('ada has no second factor or passkey: nothing to remove.');

    const db = openDatabase();
    try {
      const events = await db('security_events').join('users', 'users.id', 'security_events.user_id').where('users.username', 'ada').select('type');
      expect(events.map((e: { type: string }) => e.type).sort()).toEqual(['profile_locked', 'profile_unlocked', 'role_granted', 'role_revoked']);
      // The invitation, then a notice for each change that happened (lock, unlock, promote, demote); the repeats mailed nothing.
      expect((await db('mail_outbox').where({ to: 'ada@example.com' }).orderBy('seq')).map((m: { template: string }) => m.template)).toEqual(['account_invitation', 'security_notice', 'security_notice', 'security_notice', 'security_notice']);
    } finally {
      await db.destroy();
    }
  });

  it('migrate:rollback --all --yes-drop-everything undoes every migration; migrate brings them back', async () => {
    const all = await cli('migrate:rollback', '--all', '--yes-drop-everything');
    expect(all.code).toBe(0);
    expect(all.stdout).toMatch(/^Reverted: .*create_users$/m);
    expect((await cli('migrate:rollback')).stdout.trim()).toBe('Nothing to roll back.');
    expect((await cli('migrate')).stdout).toMatch(/^Applied: .*create_users/m);
  });
});
