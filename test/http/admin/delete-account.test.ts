import request from 'supertest';
import { describeApp } from '../../helpers/app';
import { Visitor } from '../../helpers/browser-agent';
import { createUser, signedIn } from '../../helpers/factories';
import { tablesReferencingUsers } from '../../helpers/user-rows';

const t = describeApp({}, { mail: true });

const MINUTE = 60_000;
const ctx = { ip: '198.51.100.9', userAgent: 'curl/8.5.0', locale: 'en' as const };

async function rowsOf(userId: string) {
  const counts: Record<string, number> = {};
  for (const { table, column } of await tablesReferencingUsers(t)) counts[table] = Number((await t.deps.db(table).where(column, userId).count({ n: '*' }))[0]?.n);
  return counts;
}

/** A person with a session, a token, an app password and (a key is unique across accounts) an SSH key. */
async function fullAccount(withKey = false) {
  const user = await createUser(t);
  const browser = await signedIn(t, user);
  await t.services.apiTokens.create(user, { name: 'Script', scope: 'write', expires: '30' }, ctx);
  await t.services.appPasswords.create(user, { name: 'Mail', scope: 'read' }, ctx);
  if (withKey) await t.services.sshKeys.add(user, { title: 'Laptop', key: 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIA5Xm0m3Yw9dXWZt5y4k1jvY5j3Zr2pY1gk3Zr2pY1gk deletion@test' }, ctx);
  return { user, browser };
}

async function console_() {
  const admin = await createUser(t, { admin: true });
  const browser = await signedIn(t, admin);
  await browser.get('/profile/account');
  return { admin, browser };
}

const deleteAs = (browser: Visitor, username: string, typed: string | string[] | undefined) =>
  browser.post(`/admin/users/${encodeURIComponent(username)}/delete`, { _csrf: browser.csrf(), ...(typed === undefined ? {} : { confirm_username: typed }) });

describe('An administrator deletes an account', () => {
  it('removes everything as the owner\'s own deletion does, ends their sessions, reserves the name, tells them, and the audit row stays', async () => {
    const { admin, browser } = await console_();
    const { user, browser: theirs } = await fullAccount(true);
    const before = await rowsOf(user.id);
    expect(before).toMatchObject({ api_tokens: 1, app_passwords: 1, ssh_keys: 1 });

    const res = await deleteAs(browser, user.username, user.username.toUpperCase());
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/admin/users');

    expect(await t.repos.users.findById(user.id)).toBeUndefined();
    expect(Object.values(await rowsOf(user.id)).every((n) => n === 0)).toBe(true);
    expect(await t.deps.sessions.listByUser(user.id)).toEqual([]);
    expect((await theirs.get('/profile/account')).headers.location).toMatch(/^\/login/);
    expect(await t.repos.deletedIdentities.isReserved('username', user.username, t.clock.now())).toBe(true);
    expect(await t.repos.deletedIdentities.isReserved('email', user.email, t.clock.now())).toBe(true);

    await t.deliverMail();
    const farewell = t.mail.last(user.email);
    expect(farewell.subject).toBe('Your Atrium account has been deleted');
    expect(farewell.text).toContain('has been deleted by an administrator.');
    expect(farewell.text).not.toContain('as you asked');

    const audit = await t.deps.db('admin_audit').where({ target_username: user.username });
    expect(audit).toEqual([expect.objectContaining({ actor_id: admin.id, target_id: user.id, action: 'user_deleted' })]);
    expect(JSON.stringify(audit[0].data)).not.toContain(user.email);

    const again = await new Visitor(t.app).submit('/signup', { first_name: 'E', last_name: 'I', email: user.email, username: user.username, password: 'copper meadow whistle 64', password_confirm: 'copper meadow whistle 64' });
    expect(again.status).toBe(422);
  });

  it('asks for the username typed out, and answers bad input with a message, never a 500', async () => {
    const { browser } = await console_();
    const { user } = await fullAccount();
    for (const typed of [undefined, '', 'someone-else', [user.username, user.username], 'x'.repeat(300)]) {
      const res = await deleteAs(browser, user.username, typed);
      expect({ typed: String(typed).slice(0, 20), status: res.status }).toEqual({ typed: String(typed).slice(0, 20), status: 422 });
    }
    expect((await deleteAs(browser, user.username, 'someone-else')).text).toContain('That is not this account&#39;s username.');
    expect((await deleteAs(browser, user.username, undefined)).text).toContain('Type the username to confirm.');
    expect((await deleteAs(browser, 'nobody-here', 'nobody-here')).status).toBe(404);
    expect(await t.repos.users.findById(user.id)).toBeDefined();
  });

  it('never deletes the administrator\'s own account here, nor the last administrator', async () => {
    const { admin, browser } = await console_();
    const own = await deleteAs(browser, admin.username, admin.username);
    expect(own.status).toBe(409);
    expect(own.text).toContain('You cannot delete your own account here; delete it on your profile.');
    expect(await t.repos.users.findById(admin.id)).toBeDefined();

    // The last administrator: another administrator's delete is refused once the actor is no longer one.
    const other = await createUser(t, { admin: true });
    await t.deps.db('users').update({ role: 'user' });
    await t.deps.db('users').where({ id: other.id }).update({ role: 'admin' });
    await expect(t.services.adminDeletion.deleteAccount(other.username, { actor: { id: admin.id, username: admin.username }, ...ctx })).rejects.toMatchObject({ code: 'last_administrator' });
    expect(await t.repos.users.findById(other.id)).toBeDefined();
    expect(await t.deps.db('admin_audit').where({ target_id: other.id })).toHaveLength(0);
  });

  it('is 404 for a person without the role, and asks an administrator whose sign-in is old to confirm it first', async () => {
    const { user } = await fullAccount();
    const bystander = await createUser(t);
    const theirs = await signedIn(t, bystander);
    await theirs.get('/profile/account');
    expect((await deleteAs(theirs, user.username, user.username)).status).toBe(404);

    const { browser } = await console_();
    t.clock.advance(11 * MINUTE);
    await browser.get('/profile/account');
    const res = await deleteAs(browser, user.username, user.username);
    expect(res.headers.location).toMatch(/^\/reauth\?next=/);
    expect(await t.repos.users.findById(user.id)).toBeDefined();
  });
});

describe('Deleting an account through the admin API', () => {
  it('DELETE /api/v1/admin/users/{username} needs the password as step-up proof, then deletes as the console does', async () => {
    const { admin, browser } = await console_();
    const { user } = await fullAccount();
    const api = (username: string, body: object) => browser.agent.delete(`/api/v1/admin/users/${username}`).set('Accept', 'application/json').set('X-CSRF-Token', browser.csrf()).send(body);
    expect((await api(user.username, {})).status).toBe(422);
    expect((await api(user.username, { current_password: 'wrong wrong wrong' })).status).toBe(422);
    expect(await t.repos.users.findById(user.id)).toBeDefined();
    const own = await api(admin.username, { current_password: admin.password });
    expect(own.status).toBe(409);
    expect(own.body.error.code).toBe('own_account');
    expect((await api('nobody-here', { current_password: admin.password })).status).toBe(404);

    const done = await api(user.username, { current_password: admin.password });
    expect(done.status).toBe(204);
    expect(await t.repos.users.findById(user.id)).toBeUndefined();
    expect(await t.deps.sessions.listByUser(user.id)).toEqual([]);
    expect(await t.deps.db('admin_audit').where({ target_username: user.username, action: 'user_deleted' })).toHaveLength(1);

    expect((await request(t.app).delete(`/api/v1/admin/users/${admin.username}`).set('Accept', 'application/json').send({})).status).toBe(404);
  });

  it('PUT /api/v1/admin/users/{username}/role changes a role with the same rule: never the last administrator', async () => {
    const { admin, browser } = await console_();
    const person = await createUser(t);
    await t.deps.db('users').whereNot({ id: admin.id }).update({ role: 'user' });
    const api = (username: string, body: object) => browser.agent.put(`/api/v1/admin/users/${username}/role`).set('Accept', 'application/json').set('X-CSRF-Token', browser.csrf()).send(body);

    expect((await api(person.username, { role: 'admin' })).status).toBe(422);
    const bad = await api(person.username, { role: 'root', current_password: admin.password });
    expect(bad.status).toBe(422);
    expect(bad.body.error.fields.role).toBe('Choose a role: administrator or regular user.');
    const last = await api(admin.username, { role: 'user', current_password: admin.password });
    expect(last.status).toBe(409);
    expect(last.body.error).toMatchObject({ code: 'last_administrator', message: expect.stringContaining('You are the last administrator.') });

    const promoted = await api(person.username, { role: 'admin', current_password: admin.password });
    expect(promoted.status).toBe(200);
    expect(promoted.body).toMatchObject({ username: person.username, role: 'admin' });
    const stepDown = await api(admin.username, { role: 'user', current_password: admin.password });
    expect(stepDown.status).toBe(200);
    expect(await t.repos.users.countAdministrators()).toBe(1);
  });
});
