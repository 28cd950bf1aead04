import request from 'supertest';
import { describeApp } from '../../helpers/app';
import { csrfTokenIn } from '../../helpers/browser-agent';
import { createUser, signedIn } from '../../helpers/factories';

const ctx = { ip: '127.0.0.1', userAgent: 'test', locale: 'en' as const };

const t = describeApp();

/** Fields of the account row that no one may set through the name form or PUT /users/me. */
const PROTECTED = ['id', 'username', 'email', 'email_verified_at', 'role', 'source', 'locked_at', 'password_hash', 'mfa_enabled', 'avatar_hash', 'created_at'];
const FORGED = {
  id: '00000000-0000-4000-8000-000000000000',
  username: 'root',
  email: 'attacker@example.com',
  email_verified: 'true',
  email_verified_at: '2020-01-01T00:00:00Z',
  role: 'admin',
  source: 'ldap',
  locked_at: '',
  password_hash: 'bcrypt-sha256-v1$forged',
  mfa_enabled: 'false',
  avatar_hash: 'f'.repeat(64),
};

async function protectedFields(userId: string) {
  const row = (await t.deps.db('users').where({ id: userId }).first()) as Record<string, unknown>;
  return Object.fromEntries(PROTECTED.filter((name) => name in row).map((name) => [name, row[name]]));
}

describe('Fields of the account that a person may not set', () => {
  it('stay as they are whatever else PUT /users/me is sent, while the name changes', async () => {
    const user = await createUser(t);
    const before = await protectedFields(user.id);
    expect(Object.keys(before)).toEqual(expect.arrayContaining(['id', 'username', 'email', 'role', 'password_hash']));
    const { secret } = await t.services.apiTokens.create(user, { name: 'write', scope: 'write', expires: '30' }, ctx);
    const res = await request(t.app).put('/api/v1/users/me').set('Authorization', `Bearer ${secret}`).send({ first_name: 'Changed', last_name: 'Name', ...FORGED });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ first_name: 'Changed', last_name: 'Name', username: user.username });
    expect(await protectedFields(user.id)).toEqual(before);
    expect((await t.deps.db('users').where({ id: user.id }).first()).first_name).toBe('Changed');
  });

  it('stay as they are whatever else the Account tab form is sent', async () => {
    const user = await createUser(t);
    const before = await protectedFields(user.id);
    const visitor = await signedIn(t, user);
    const tab = await visitor.get('/profile/account');
    const res = await visitor.post('/profile/account/name', { _csrf: csrfTokenIn(tab.text), first_name: 'Formed', last_name: 'Name', ...FORGED });
    expect(res.status).toBe(303);
    expect(await protectedFields(user.id)).toEqual(before);
    expect((await t.deps.db('users').where({ id: user.id }).first()).first_name).toBe('Formed');
  });
});
