import request from 'supertest';
import { describeApp } from '../../helpers/app';
import { Visitor } from '../../helpers/browser-agent';
import { createUser, signedIn } from '../../helpers/factories';
import { tablesReferencingUsers } from '../../helpers/user-rows';
import { solidPng } from '../../helpers/images';

const t = describeApp({}, { mail: true });

const DAY = 86_400_000;
const MINUTE = 60_000;
const ctx = { ip: '198.51.100.9', userAgent: 'curl/8.5.0', locale: 'en' as const };

/** An account with something in every table that belongs to it. */
async function fullAccount() {
  const user = await createUser(t);
  const visitor = await signedIn(t, user);
  const other = await signedIn(t, user);
  await visitor.get('/profile/account');
  const upload = await visitor.agent.post('/profile/account/avatar').field('_csrf', visitor.csrf()).attach('avatar', await solidPng(64, 64), 'me.png');
  expect(upload.status).toBe(303);
  await t.services.apiTokens.create(user, { name: 'Script', scope: 'write', expires: '30' }, ctx);
  await t.services.appPasswords.create(user, { name: 'Mail', scope: 'read' }, ctx);
  await t.services.sshKeys.add(user, { title: 'Laptop', key: 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIA5Xm0m3Yw9dXWZt5y4k1jvY5j3Zr2pY1gk3Zr2pY1gk deletion@test' }, ctx);
  await t.services.emailChange.request(user, `moved-${user.username}@example.org`, ctx);
  return { user, visitor, other };
}

describe('Deleting the account', () => {
  it('explains what goes, asks for re-authentication and the username, then removes everything and lands on sign-in', async () => {
    const { user, visitor, other } = await fullAccount();
    const tables = await tablesReferencingUsers(t);
    expect(tables.map((x) => x.table)).toEqual(expect.arrayContaining(['avatars', 'authenticators', 'security_events', 'one_time_tokens', 'api_tokens', 'app_passwords', 'ssh_keys', 'known_devices']));
    for (const { table, column } of tables) {
      if (['avatars', 'security_events', 'one_time_tokens', 'api_tokens', 'app_passwords', 'ssh_keys', 'known_devices'].includes(table)) {
        expect({ table, rows: Number((await t.deps.db(table).where(column, user.id).count({ n: '*' }))[0]?.n) > 0 }).toEqual({ table, rows: true });
      }
    }

    t.clock.advance(11 * MINUTE);
    const gate = await visitor.get('/profile/delete');
    expect(gate.headers.location).toBe('/reauth?next=%2Fprofile%2Fdelete');
    const reauth = await visitor.submit('/reauth?next=%2Fprofile%2Fdelete', { password: user.password, next: '/profile/delete' }, '/reauth');
    expect(reauth.headers.location).toBe('/profile/delete');
    const page = await visitor.get('/profile/delete');
    expect(page.text).toContain('This cannot be undone.');
    expect(page.text).toContain(`To confirm, type your username: ${user.username}`);

    const wrong = await visitor.post('/profile/delete', { _csrf: visitor.csrf(), confirm_username: 'someone-else' });
    expect(wrong.status).toBe(422);
    expect(wrong.text).toContain('That is not your username.');
    const missing = await visitor.post('/profile/delete', { _csrf: visitor.csrf() });
    expect(missing.text).toContain('Type your username to confirm.');
    const arrays = await visitor.post('/profile/delete', { _csrf: visitor.csrf(), confirm_username: [user.username, user.username] });
    expect(arrays.status).toBe(422);
    expect(await t.repos.users.findById(user.id)).toBeDefined();

    const done = await visitor.post('/profile/delete', { _csrf: visitor.csrf(), confirm_username: user.username.toUpperCase() });
    expect(done.status).toBe(303);
    expect(done.headers.location).toBe('/login');
    const landing = await visitor.get('/login');
    expect(landing.text).toContain('Your account has been deleted.');

    expect(await t.repos.users.findById(user.id)).toBeUndefined();
    for (const { table, column } of tables) {
      expect({ table, rows: Number((await t.deps.db(table).where(column, user.id).count({ n: '*' }))[0]?.n) }).toEqual({ table, rows: 0 });
    }
    expect(await t.deps.sessions.listByUser(user.id)).toEqual([]);
    expect((await other.get('/profile/account')).headers.location).toMatch(/^\/login/);
    await t.deliverMail();
    expect(t.mail.to(user.email).map((m) => m.subject)).toContain('Your Atrium account has been deleted');
  });

  it('keeps the username and address for the reserve period (settable clock), then frees them', async () => {
    const { user, visitor } = await fullAccount();
    await visitor.submit('/profile/delete', { confirm_username: user.username });
    const signUp = (v: Visitor) =>
      v.submit('/signup', { first_name: 'Eve', last_name: 'Impostor', email: user.email, username: user.username, password: 'copper meadow whistle 64', password_confirm: 'copper meadow whistle 64' });
    const early = await signUp(new Visitor(t.app));
    expect(early.status).toBe(422);
    expect(early.text).toContain('This username is already taken.');
    const otherName = await new Visitor(t.app).submit('/signup', { first_name: 'Eve', last_name: 'I', email: `eve-${user.email}`, username: `eve${user.username}`, password: 'copper meadow whistle 64', password_confirm: 'copper meadow whistle 64' });
    expect(otherName.status).toBe(303);
    // Moving the address onto another account is held back just the same.
    const eve = await t.repos.users.findByUsername(`eve${user.username}`);
    if (!eve) throw new Error('no eve');
    await t.services.emailChange.request(eve, user.email, ctx);
    await t.deliverMail();
    expect(t.mail.to(user.email).map((m) => m.subject)).not.toContain('Confirm your new email address for Atrium');

    t.clock.advance(29 * DAY);
    expect((await signUp(new Visitor(t.app))).status).toBe(422);
    t.clock.advance(1 * DAY + MINUTE);
    expect((await signUp(new Visitor(t.app))).status).toBe(303);
  });

  it('through DELETE /api/v1/users/me needs the password as step-up proof', async () => {
    const { user } = await fullAccount();
    const { secret } = await t.services.apiTokens.create(user, { name: 'Deleter', scope: 'write', expires: '7' }, ctx);
    const refused = await request(t.app).delete('/api/v1/users/me').set('Authorization', `Bearer ${secret}`).send({});
    expect(refused.status).toBe(422);
    const done = await request(t.app).delete('/api/v1/users/me').set('Authorization', `Bearer ${secret}`).send({ current_password: user.password });
    expect(done.status).toBe(204);
    expect(await t.repos.users.findById(user.id)).toBeUndefined();
    expect(await t.deps.sessions.listByUser(user.id)).toEqual([]);
  });
});
