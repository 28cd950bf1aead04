import { describeApp } from '../../helpers/app';
import type { Visitor } from '../../helpers/browser-agent';
import { createUser, signedIn } from '../../helpers/factories';
import type { ActorContext } from '../../../src/features/admin/actor-context';
import { LastAdministratorError } from '../../../src/core/users/administrators';
import { OPERATOR } from '../../../src/features/admin/admin-audit.repository';

const t = describeApp({}, { mail: true });

const MINUTE = 60_000;

async function auditRows(targetUsername: string) {
  return t.deps.db('admin_audit').where({ target_username: targetUsername }).orderBy('id');
}

async function events(userId: string, type: string) {
  return t.deps.db('security_events').where({ user_id: userId, type });
}

async function roleOf(username: string) {
  return (await t.repos.users.findByUsername(username))?.role;
}

/** Leaves exactly these accounts as the administrators (earlier stories made others). */
async function onlyAdministrators(...usernames: string[]) {
  await t.deps.db('users').update({ role: 'user' });
  await t.deps.db('users').whereIn('username', usernames).update({ role: 'admin' });
}

const changeRole = (visitor: Visitor, username: string, role: string | string[]) => visitor.post(`/admin/users/${username}/role`, { _csrf: visitor.csrf(), role });

describe('Promoting and demoting people in the console', () => {
  it('an administrator makes someone an administrator: audit row, their activity, a notice by mail, and their sessions end', async () => {
    const admin = await createUser(t, { admin: true });
    const bob = await createUser(t, { firstName: 'Bob' });
    const console_ = await signedIn(t, admin);
    const bobsBrowser = await signedIn(t, bob);
    await console_.get('/profile/account');

    const res = await changeRole(console_, bob.username, 'admin');
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe(`/admin/users/${bob.username}`);
    expect(await roleOf(bob.username)).toBe('admin');

    const [row, ...more] = await auditRows(bob.username);
    expect(more).toHaveLength(0);
    expect(row).toMatchObject({ actor_id: admin.id, actor_username: admin.username, target_id: bob.id, action: 'role_changed', data: { from: 'user', to: 'admin' } });
    expect(row.ip).toBeTruthy();
    expect(await events(bob.id, 'role_granted')).toHaveLength(1);
    await t.deliverMail();
    expect(t.mail.last(bob.email).subject).toBe('You are now an administrator of Atrium');

    // A role is used from a session signed in under it: Bob signs in again to use his.
    expect((await bobsBrowser.get('/profile/account')).headers.location).toMatch(/^\/login/);
    const again = await signedIn(t, bob);
    expect((await again.get('/admin')).status).toBe(303);
  });

  it('demoting someone closes the console to them at once, and promoting them again is recorded again; a repeat changes nothing', async () => {
    const admin = await createUser(t, { admin: true });
    const carol = await createUser(t, { admin: true });
    const console_ = await signedIn(t, admin);
    await console_.get('/profile/account');

    const demoted = await changeRole(console_, carol.username, 'user');
    expect(demoted.status).toBe(303);
    expect(await roleOf(carol.username)).toBe('user');
    const carols = await signedIn(t, carol);
    expect((await carols.get('/admin')).status).toBe(404);
    expect(await events(carol.id, 'role_revoked')).toHaveLength(1);
    await t.deliverMail();
    expect(t.mail.to(carol.email).map((m) => m.subject)).toContain('You are no longer an administrator of Atrium');

    await console_.get('/profile/account');
    const repeat = await changeRole(console_, carol.username, 'user');
    expect(repeat.status).toBe(303);
    expect(await auditRows(carol.username)).toHaveLength(1);
    expect((await console_.get(repeat.headers.location as string)).status).toBeLessThan(500);
  });

  it('an administrator may step down while another remains: they land on the home page, keep this session, and the console is gone', async () => {
    const stays = await createUser(t, { admin: true });
    const leaves = await createUser(t, { admin: true });
    await onlyAdministrators(stays.username, leaves.username);
    const here = await signedIn(t, leaves);
    const elsewhere = await signedIn(t, leaves);
    await here.get('/profile/account');

    const res = await changeRole(here, leaves.username, 'user');
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/');
    expect((await here.get('/')).text).toContain(`${leaves.username} is now a regular user.`);
    expect((await here.get('/admin')).status).toBe(404);
    expect((await here.get('/profile/account')).status).toBe(200);
    expect((await elsewhere.get('/profile/account')).headers.location).toMatch(/^\/login/);
    expect(await auditRows(leaves.username)).toEqual([expect.objectContaining({ actor_id: leaves.id, target_id: leaves.id, action: 'role_changed' })]);
  });

  it('refuses to demote the last administrator, themselves included, with a message that says why; nothing is recorded', async () => {
    const last = await createUser(t, { admin: true });
    await onlyAdministrators(last.username);
    const console_ = await signedIn(t, last);
    await console_.get('/profile/account');

    const res = await changeRole(console_, last.username, 'user');
    expect(res.status).toBe(409);
    expect(res.text).toContain('You are the last administrator. Make someone else an administrator first');
    expect(await roleOf(last.username)).toBe('admin');
    expect(await auditRows(last.username)).toHaveLength(0);
    expect(await events(last.id, 'role_revoked')).toHaveLength(0);

    // The operator at the command line is refused the same way.
    await expect(t.services.adminRoles.changeRole(last.username, 'user', { actor: OPERATOR, ip: '', userAgent: '', locale: 'en' })).rejects.toThrow(LastAdministratorError);
    expect(await roleOf(last.username)).toBe('admin');
  });

  it('answers bad input with a translated message, never a 500, and an unknown person with 404', async () => {
    const admin = await createUser(t, { admin: true });
    const dave = await createUser(t);
    const console_ = await signedIn(t, admin);
    await console_.get('/profile/account');
    for (const role of ['', 'root', 'ADMIN', 'admin'.repeat(1000)]) {
      const res = await changeRole(console_, dave.username, role);
      expect({ role: role.slice(0, 10), status: res.status }).toEqual({ role: role.slice(0, 10), status: 422 });
      expect(res.text).toContain('Choose a role: administrator or regular user.');
    }
    expect((await changeRole(console_, dave.username, ['admin', 'user'])).status).toBe(422);
    expect((await console_.post(`/admin/users/${dave.username}/role`, { _csrf: console_.csrf() })).status).toBe(422);
    expect((await changeRole(console_, 'nobody-here', 'admin')).status).toBe(404);
    expect((await changeRole(console_, '%00%3Cscript%3E', 'admin')).status).toBe(404);
    expect(await roleOf(dave.username)).toBe('user');
  });

  it('is 404 for everyone but administrators, and asks an administrator whose sign-in is old to confirm it first', async () => {
    const admin = await createUser(t, { admin: true });
    const eve = await createUser(t);
    const eves = await signedIn(t, eve);
    await eves.get('/profile/account');
    expect((await changeRole(eves, eve.username, 'admin')).status).toBe(404);
    expect(await roleOf(eve.username)).toBe('user');

    const console_ = await signedIn(t, admin);
    t.clock.advance(11 * MINUTE);
    await console_.get('/profile/account');
    const res = await changeRole(console_, eve.username, 'admin');
    expect(res.status).toBe(303);
    expect(res.headers.location).toMatch(/^\/reauth\?next=/);
    expect(await roleOf(eve.username)).toBe('user');
  });
});

describe('Two administrators demoting each other at the same moment', () => {
  const ctxOf = (user: { id: string; username: string }): ActorContext => ({ actor: { id: user.id, username: user.username }, ip: '192.0.2.1', userAgent: 'test', locale: 'en' });

  it('through the service, again and again: exactly one is demoted and exactly one administrator remains', async () => {
    const ann = await createUser(t, { admin: true });
    const ben = await createUser(t, { admin: true });
    for (let round = 0; round < 8; round += 1) {
      await onlyAdministrators(ann.username, ben.username);
      const outcomes = await Promise.allSettled([t.services.adminRoles.changeRole(ben.username, 'user', ctxOf(ann)), t.services.adminRoles.changeRole(ann.username, 'user', ctxOf(ben))]);
      const refused = outcomes.filter((o) => o.status === 'rejected');
      expect({ round, done: outcomes.length - refused.length, refused: refused.length }).toEqual({ round, done: 1, refused: 1 });
      expect((refused[0] as PromiseRejectedResult).reason).toBeInstanceOf(LastAdministratorError);
      expect(await t.repos.users.countAdministrators()).toBe(1);
    }
  });

  it('through the console, from two browsers: one administrator remains, and one request is refused', async () => {
    const ann = await createUser(t, { admin: true });
    const ben = await createUser(t, { admin: true });
    for (let round = 0; round < 4; round += 1) {
      await onlyAdministrators(ann.username, ben.username);
      const anns = await signedIn(t, ann);
      const bens = await signedIn(t, ben);
      await Promise.all([anns.get('/profile/account'), bens.get('/profile/account')]);
      const answers = await Promise.all([changeRole(anns, ben.username, 'user'), changeRole(bens, ann.username, 'user')]);
      expect(await t.repos.users.countAdministrators()).toBe(1);
      // The winner is sent on; the loser is refused as the last administrator, or, when the
      // winner's change ended its sessions first, sent to sign in again.
      const won = answers.filter((a) => a.status === 303 && !String(a.headers.location).startsWith('/login'));
      expect({ round, won: won.length }).toEqual({ round, won: 1 });
      const audit = await t.deps.db('admin_audit').whereIn('target_username', [ann.username, ben.username]).andWhere('data', '@>', JSON.stringify({ to: 'user' })).count({ n: '*' });
      expect(Number(audit[0]?.n)).toBe(round + 1);
    }
  });
});
