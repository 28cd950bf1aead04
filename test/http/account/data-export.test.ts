import request from 'supertest';
import { describeApp } from '../../helpers/app';
import { createUser, signedIn } from '../../helpers/factories';
import { totpAt, secretOnPage } from '../../helpers/totp';

const t = describeApp({}, { mail: true });

const MINUTE = 60_000;
const ctx = { ip: '198.51.100.4', userAgent: 'curl/8.5.0', locale: 'en' as const };
const SSH_KEY = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIJ0m1tV5n1b8tq4w0Y2aG7zQv0y3R8m6m0xJ4xQx3s2E export@test';

describe('Download my data', () => {
  it('gives a JSON file with the profile, sessions, credentials, passkeys and activity, and no secret of any kind', async () => {
    const user = await createUser(t);
    const visitor = await signedIn(t, user);
    // Every kind of secret the account holds: password, TOTP secret, recovery codes, token, app password.
    const setup = await visitor.get('/profile/security/totp');
    const totpSecret = secretOnPage(setup.text);
    const enabled = await visitor.post('/profile/security/totp', { _csrf: visitor.csrf(), code: totpAt(totpSecret, t.clock.now()) });
    expect(enabled.status).toBe(303);
    const codesPage = await visitor.get('/profile/security/recovery-codes');
    const recoveryCodes = [...codesPage.text.matchAll(/<li><code>([^<]+)<\/code><\/li>/g)].map((m) => m[1] as string);
    expect(recoveryCodes.length).toBeGreaterThan(0);
    const { secret: token } = await t.services.apiTokens.create(user, { name: 'Export script', scope: 'read', expires: '30', allowedIps: '198.51.100.0/24' }, ctx);
    const { secret: appPassword } = await t.services.appPasswords.create(user, { name: 'Mail app', scope: 'read' }, ctx);
    await t.services.sshKeys.add(user, { title: 'Laptop', key: SSH_KEY }, ctx);

    const res = await visitor.get('/profile/data/export');
    expect(res.status).toBe(200);
    expect(res.headers['content-disposition']).toBe('attachment; filename="atrium-my-data.json"');
    expect(res.headers['cache-control']).toBe('no-store');
    const data = JSON.parse(res.text);
    expect(data.profile).toMatchObject({ username: user.username, email: user.email, first_name: 'Jane' });
    expect(data.preferences).toEqual({ language: 'en', theme: null, new_device_notices: true });
    expect(data.two_step_verification.authenticator_app_since).toEqual(expect.any(String));
    expect(data.sessions).toHaveLength(1);
    expect(data.sessions[0]).toMatchObject({ current: true });
    expect(data.personal_access_tokens).toEqual([expect.objectContaining({ name: 'Export script', scope: 'read', allowed_ips: ['198.51.100.0/24'] })]);
    expect(data.app_passwords).toEqual([expect.objectContaining({ name: 'Mail app' })]);
    expect(data.ssh_keys).toEqual([expect.objectContaining({ title: 'Laptop', type: 'ED25519', public_key: SSH_KEY.split(' ').slice(0, 2).join(' ') })]);
    expect(data.activity.map((e: { type: string }) => e.type)).toEqual(expect.arrayContaining(['sign_in', 'mfa_enabled', 'token_created', 'app_password_created', 'ssh_key_added']));

    // Not one stored secret or digest, in any encoding the tables hold them.
    const text = res.text;
    const stored: string[] = [user.password, totpSecret, token, token.slice(4), appPassword, appPassword.replace(/-/g, ''), ...recoveryCodes];
    const userRow = await t.deps.db('users').where({ id: user.id }).first();
    stored.push(userRow.password_hash);
    for (const row of await t.deps.db('api_tokens').where({ user_id: user.id })) stored.push(row.token_hash);
    for (const row of await t.deps.db('app_passwords').where({ user_id: user.id })) stored.push(row.password_hash);
    for (const row of await t.deps.db('authenticators').where({ user_id: user.id })) stored.push(JSON.stringify(row.data), ...Object.values(row.data as Record<string, unknown>).filter((v): v is string => typeof v === 'string' && v.length > 8));
    for (const row of await t.deps.db('one_time_tokens').where({ user_id: user.id })) stored.push(row.token_hash);
    for (const secret of stored.filter((s) => s && s.length >= 8)) expect(text).not.toContain(secret);
    expect(text).not.toMatch(/"(password_hash|token_hash|secret|counter|public_key_cose)"/);
  });

  it('needs a recent sign-in, and is also at GET /api/v1/users/me/export', async () => {
    const user = await createUser(t);
    const visitor = await signedIn(t, user);
    t.clock.advance(11 * MINUTE);
    const late = await visitor.get('/profile/data/export');
    expect(late.status).toBe(303);
    expect(late.headers.location).toBe('/reauth?next=%2Fprofile%2Fdata');
    const { secret } = await t.services.apiTokens.create(user, { name: 'Reader', scope: 'read', expires: '7' }, ctx);
    const api = await request(t.app).get('/api/v1/users/me/export').set('Authorization', `Bearer ${secret}`);
    expect(api.status).toBe(200);
    expect(api.headers['content-disposition']).toBe('attachment; filename="atrium-my-data.json"');
    expect(api.body.profile.username).toBe(user.username);
    expect(JSON.stringify(api.body)).not.toContain(secret);
    expect((await request(t.app).get('/api/v1/users/me/export')).status).toBe(401);
  });

  it('is offered on the "Your data" tab, with the way to delete the account', async () => {
    const visitor = await signedIn(t, await createUser(t));
    const page = await visitor.get('/profile/data');
    expect(page.text).toContain('Download my data');
    expect(page.text).toContain('href="/profile/delete"');
    expect(page.text).toContain('It never contains a password, a secret, a token or a digest of one.');
  });
});
