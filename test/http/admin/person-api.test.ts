import request from 'supertest';
import { describeApp } from '../../helpers/app';
import { createUser, signedIn } from '../../helpers/factories';
import { adminPersonHelpers, ctx } from './admin-person-helpers';

const t = describeApp({}, { mail: true });
const { administrator, auditOf, activityOf, dropStepUp } = adminPersonHelpers(t);

/**
 * An administrator calling the API from their browser session (just signed in). Tokens
 * with the admin scope take the same path through the same step-up once that scope can be
 * created (the audit slice's migration); the gate's refusal of other tokens is below.
 */
async function adminApi() {
  const { admin, browser } = await administrator();
  await browser.get('/profile/account');
  const call = (method: 'get' | 'post' | 'delete', path: string) => browser.agent[method](`/api/v1/admin/users${path}`).set('Accept', 'application/json').set('X-CSRF-Token', browser.csrf());
  return { admin, call };
}

describe('The person API under /api/v1/admin/users/{username}', () => {
  it('GET shows the same view as the page, as JSON, and no secret, hash or seed', async () => {
    const { call } = await adminApi();
    const person = await createUser(t, { firstName: 'Grace', lastName: 'Hopper' });
    await t.repos.authenticators.insertTotp(person.id, 'SEALED-TOTP-SECRET', 1, t.clock.now());
    await t.repos.authenticators.replaceRecoveryCodes(person.id, ['RC-HASH-1', 'RC-HASH-2', 'RC-HASH-3'], t.clock.now());
    await t.services.apiTokens.create(person, { name: 'Build', scope: 'read', expires: '30' }, ctx);
    const res = await call('get', `/${person.username}`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ username: person.username, first_name: 'Grace', email_verified_at: null, locked_at: null, role: 'user', two_step: { authenticator_app: true, recovery_codes_left: 3, passkeys: [] } });
    expect(res.body.tokens).toEqual([expect.objectContaining({ name: 'Build', scope: 'read', masked: expect.stringMatching(/^pat_…/) })]);
    const stored = await t.deps.db('api_tokens').where({ user_id: person.id }).first();
    const user = await t.repos.users.findById(person.id);
    for (const secret of ['SEALED-TOTP-SECRET', 'RC-HASH', stored.token_hash, user?.passwordHash as string]) expect(res.text).not.toContain(secret);
    const missing = await call('get', '/no-such-person');
    expect(missing.status).toBe(404);
    expect(missing.body.error.message).toBe('There is no account with that username.');
  });

  it('each action asks for the current password, then does what the page does', async () => {
    const { admin, call } = await adminApi();
    const person = await createUser(t, { emailVerified: true });
    const theirs = await t.services.apiTokens.create(person, { name: 'Deploy', scope: 'write', expires: '30' }, ctx);
    const asPerson = () => request(t.app).get('/api/v1/users/me').set('Authorization', `Bearer ${theirs.secret}`);

    const bare = await call('post', `/${person.username}/lock`).send({});
    expect(bare.status).toBe(422);
    expect(bare.body.error.fields.current_password).toBeTruthy();
    const wrong = await call('post', `/${person.username}/lock`).send({ current_password: 'not my password' });
    expect(wrong.status).toBe(422);
    expect((await t.repos.users.findById(person.id))?.lockedAt).toBeNull();

    const proof = { current_password: admin.password };
    expect((await call('post', `/${person.username}/lock`).send(proof)).status).toBe(204);
    expect((await asPerson()).status).toBe(403);
    expect((await call('post', `/${person.username}/unlock`).send(proof)).status).toBe(204);
    expect((await asPerson()).status).toBe(200);
    expect((await call('post', `/${person.username}/password-reset`).send(proof)).status).toBe(204);
    expect((await call('post', `/${person.username}/mark-verified`).send(proof)).status).toBe(409);
    expect((await call('post', `/${person.username}/reset-two-step`).send(proof)).status).toBe(204);
    expect((await call('delete', `/${person.username}/tokens/${theirs.token.id}`).send(proof)).status).toBe(204);
    expect((await asPerson()).status).toBe(401);
    await signedIn(t, person);
    expect((await call('delete', `/${person.username}/sessions`).send(proof)).status).toBe(204);
    expect(await t.services.sessions.list(person.id, undefined)).toEqual([]);
    expect((await auditOf(person)).map((r) => r.action)).toEqual(['user_locked', 'user_unlocked', 'password_reset_sent', 'token_revoked', 'sessions_ended']);
    expect(await activityOf(person)).toEqual(expect.arrayContaining(['profile_locked', 'profile_unlocked', 'password_reset_sent_by_admin', 'credential_revoked_by_admin', 'sessions_ended_by_admin']));
    await t.deliverMail();
    expect(t.mail.to(person.email).map((m) => m.subject)).toEqual(expect.arrayContaining(['Your Atrium account was locked', 'Reset your Atrium password']));
  });

  it("refuses the administrator's own lock, others' things and malformed ids, in words", async () => {
    const { admin, call } = await adminApi();
    const proof = { current_password: admin.password };
    const self = await call('post', `/${admin.username}/lock`).send(proof);
    expect(self.status).toBe(409);
    expect(self.body.error.message).toContain('You cannot do this to your own account');
    const person = await createUser(t);
    const other = await createUser(t);
    const { token } = await t.services.apiTokens.create(other, { name: 'Not theirs', scope: 'write', expires: '30' }, ctx);
    for (const path of [`/tokens/${token.id}`, '/tokens/123', `/keys/${'%3Cb%3E'.repeat(50)}`, '/app-passwords/00000000-0000-4000-8000-000000000000', `/sessions/${'f'.repeat(64)}`]) {
      const res = await call('delete', `/${person.username}${path}`).send(proof);
      expect({ path, status: res.status }).toEqual({ path, status: 404 });
      expect(res.body.error.message).toBeTruthy();
    }
    expect(await t.repos.credentials.listTokens(other.id)).toHaveLength(1);
  });

  it('a browser session must have signed in recently, as on the page; a token without the admin scope is refused', async () => {
    const { admin, browser } = await administrator();
    const person = await createUser(t);
    await dropStepUp(browser);
    await browser.get('/profile/account');
    const stale = await browser.agent.post(`/api/v1/admin/users/${person.username}/lock`).set('Accept', 'application/json').set('X-CSRF-Token', browser.csrf()).send({ current_password: admin.password });
    expect(stale.status).toBe(403);
    expect(stale.body.error.code).toBe('reauth_required');
    const { secret } = await t.services.apiTokens.create(admin, { name: 'plain', scope: 'write', expires: '30' }, ctx);
    const plain = await request(t.app).get(`/api/v1/admin/users/${person.username}`).set('Authorization', `Bearer ${secret}`);
    expect(plain.status).toBe(403);
    expect(plain.body.error.code).toBe('insufficient_scope');
  });
});
