import request from 'supertest';
import { describeApp } from '../../helpers/app';
import { createUser, signedIn } from '../../helpers/factories';
import { adminPersonHelpers, ctx } from './admin-person-helpers';

const t = describeApp({}, { mail: true });
const { administrator, auditOf, activityOf, dropStepUp, act } = adminPersonHelpers(t);

describe('Locking and unlocking a person from their page', () => {
  it('locking signs them out, stops their token and app password at once, is audited, in their activity, and mailed', async () => {
    const { admin, browser } = await administrator();
    const person = await createUser(t, { emailVerified: true });
    const theirs = await signedIn(t, person);
    const { secret } = await t.services.apiTokens.create(person, { name: 'CI', scope: 'write', expires: '30' }, ctx);
    const token = () => request(t.app).get('/api/v1/users/me').set('Authorization', `Bearer ${secret}`);
    expect((await token()).status).toBe(200);

    const res = await act(browser, `/admin/users/${person.username}/lock`);
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe(`/admin/users/${person.username}`);
    expect((await browser.get(res.headers.location as string)).text).toContain('The account is locked');

    expect((await theirs.get('/profile/account')).headers.location).toMatch(/^\/login/);
    const refused = await token();
    expect(refused.status).toBe(403);
    expect(refused.body.error.code).toBe('account_locked');
    expect((await auditOf(person)).map((r) => [r.action, r.actor_username])).toEqual([['user_locked', admin.username]]);
    expect(await activityOf(person)).toContain('profile_locked');
    await t.deliverMail();
    expect(t.mail.last(person.email).subject).toBe('Your Atrium account was locked');

    expect((await act(browser, `/admin/users/${person.username}/unlock`)).status).toBe(303);
    expect((await token()).status).toBe(200);
    expect((await auditOf(person)).map((r) => r.action)).toEqual(['user_locked', 'user_unlocked']);
    await t.deliverMail();
    expect(t.mail.last(person.email).subject).toBe('Your Atrium account was unlocked');
  });

  it('asks for the password first when the last sign-in is not recent, and changes nothing until then', async () => {
    const { browser } = await administrator();
    const person = await createUser(t);
    await dropStepUp(browser);
    const res = await act(browser, `/admin/users/${person.username}/lock`);
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe(`/reauth?next=${encodeURIComponent(`/admin/users/${person.username}`)}`);
    expect((await t.repos.users.findById(person.id))?.lockedAt).toBeNull();
    expect(await auditOf(person)).toEqual([]);
  });

  it('an administrator cannot lock themselves out: refused in words, nothing recorded', async () => {
    const { admin, browser } = await administrator();
    const res = await act(browser, `/admin/users/${admin.username}/lock`);
    expect(res.status).toBe(303);
    expect((await browser.get(res.headers.location as string)).text).toContain('You cannot do this to your own account');
    expect((await t.repos.users.findById(admin.id))?.lockedAt).toBeNull();
    expect(await auditOf(admin)).toEqual([]);
  });
});
