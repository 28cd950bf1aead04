import { operatorCliOnOwnDatabase } from '../helpers/operator-cli';

// Each command opens the database anew: a minute or more on a busy machine.
jest.setTimeout(300_000);

const { cli, openDatabase } = operatorCliOnOwnDatabase();

describe('Operator commands (npm run cli)', () => {
  it('migrate applies the migrations once', async () => {
    const first = await cli('migrate');
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/Applied: .*create_users/);
    expect((await cli('migrate')).stdout).toContain('Already up to date.');
  });

  it('users:create prints a one-time link built from BASE_URL, never a password', async () => {
    const res = await cli('users:create', '--username', 'ops.admin', '--email', 'ops@example.com', '--first-name', 'Olga', '--last-name', 'Ops', '--admin');
    expect(res.code).toBe(0);
    expect(res.stdout).toContain('Created ops.admin (administrator).');
    expect(res.stdout).toMatch(/it works once, for 24 hours/);
    expect(res.stdout).toMatch(/^https:\/\/accounts\.example\.com\/reset-password\/[A-Za-z0-9_-]{43}$/m);
  });

  it('users:create refuses bad input with the same messages as the sign-up form', async () => {
    const res = await cli('users:create', '--username', 'x', '--email', 'not-an-email', '--first-name', 'A', '--last-name', 'B');
    expect(res.code).toBe(65);
    expect(res.stderr).toContain('username: Username must be between 3 and 32 characters');
    expect(res.stderr).toContain('email: Enter an email address in the correct format');
    const taken = await cli('users:create', '--username', 'ops.admin', '--email', 'other@example.com', '--first-name', 'A', '--last-name', 'B');
    expect(taken.stderr).toContain('This username is already taken');
  });

  it('users:promote and users:demote change the role', async () => {
    await cli('users:create', '--username', 'plain', '--email', 'plain@example.com', '--first-name', 'P', '--last-name', 'L');
    expect((await cli('users:promote', '--admin', 'plain')).stdout).toContain('plain is now an administrator.');
    expect((await cli('users:demote', 'plain')).stdout).toContain('plain is now a regular user.');
    const missing = await cli('users:promote', '--admin', 'nobody');
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('There is no account with that username.');
  });

  it('users:demote refuses the last administrator; the commands are audited as the operator', async () => {
    const last = await cli('users:demote', 'ops.admin');
    expect(last.code).toBe(1);
    expect(last.stderr).toContain('That is the last administrator. Make someone else an administrator first');
    expect((await cli('users:demote', 'plain')).stdout).toContain('plain is already a regular user.');
    const db = openDatabase();
    const roles = await db('users').where({ role: 'admin' }).pluck('username');
    const audit = await db('admin_audit').orderBy('id').select('actor_id', 'actor_username', 'target_username', 'action');
    await db.destroy();
    expect(roles).toEqual(['ops.admin']);
    expect(audit).toEqual([
      { actor_id: null, actor_username: 'operator', target_username: 'ops.admin', action: 'user_created' },
      { actor_id: null, actor_username: 'operator', target_username: 'plain', action: 'user_created' },
      { actor_id: null, actor_username: 'operator', target_username: 'plain', action: 'role_changed' },
      { actor_id: null, actor_username: 'operator', target_username: 'plain', action: 'role_changed' },
    ]);
  });

  it('sessions:revoke ends the sessions of one account or of everyone', async () => {
    expect((await cli('sessions:revoke', '--user', 'plain')).stdout).toContain('Ended 0 sessions.');
    expect((await cli('sessions:revoke', '--all')).stdout).toContain('Ended 0 sessions.');
    const unknown = await cli('sessions:revoke', '--user', 'nobody');
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('There is no account with that username.');
    expect((await cli('sessions:revoke')).code).toBe(64);
  });

  it('mfa:reset removes the second factors of one account', async () => {
    // Between commands (the embedded database serves one process at a time): plain gets recovery codes.
    const db = openDatabase();
    const [plain] = await db('users').where({ username: 'plain' }).update({ mfa_enabled: true }).returning('id');
    await db('authenticators').insert({ user_id: plain.id, type: 'recovery_codes', data: JSON.stringify({ codes: [] }), created_at: new Date() });
    await db.destroy();
    expect((await cli('mfa:reset', '--user', 'plain')).stdout).toContain('Removed the second factors and passkeys of plain');
    expect((await cli('mfa:reset')).code).toBe(64);
    expect((await cli('mfa:reset', '--user', 'nobody')).stderr).toContain('There is no account with that username.');
  });

  it('explains its usage', async () => {
    const res = await cli('bogus');
    expect(res.code).toBe(64);
    expect(res.stderr).toContain('Unknown command "bogus"');
  });
});
