import request from 'supertest';
import { describeApp, startTestApp } from '../../helpers/app';
import { createUser, signedIn } from '../../helpers/factories';
import { Visitor } from '../../helpers/browser-agent';

const t = describeApp({}, { mail: true });

const MINUTE = 60_000;
const basic = (username: string, password: string) => `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;

async function createAppPassword(visitor: Visitor, fields: Record<string, string>): Promise<string> {
  const res = await visitor.submit('/profile/app-passwords', { name: 'Calendar on my phone', scope: 'read', ...fields });
  expect(res.status).toBe(303);
  const page = await visitor.get('/profile/app-passwords');
  const secret = /<code id="new-secret">([a-z0-9-]+)<\/code>/.exec(page.text)?.[1];
  if (!secret) throw new Error('No app password on the page');
  return secret;
}

describe('App passwords', () => {
  it('are created per client, shown once in groups, and work with HTTP Basic on the API', async () => {
    const user = await createUser(t);
    const visitor = await signedIn(t, user);
    const secret = await createAppPassword(visitor, {});
    expect(secret).toMatch(/^([a-z2-9]{4}-){5}[a-z2-9]{4}$/);
    expect((await visitor.get('/profile/app-passwords')).text).not.toContain(secret);
    const rows = await t.deps.db('app_passwords').where({ user_id: user.id });
    expect(rows).toHaveLength(1);
    expect(JSON.stringify(rows)).not.toContain(secret.replace(/-/g, ''));

    const me = await request(t.app).get('/api/v1/users/me').set('Authorization', basic(user.username, secret)).set('User-Agent', 'DAVx5/4.4');
    expect(me.status).toBe(200);
    expect(me.body.email).toBe(user.email);
    const listed = await visitor.get('/profile/app-passwords');
    expect(listed.text).toContain('DAVx5/4.4');
    // Grouping and case do not matter, as the page promises.
    const typed = secret.replace(/-/g, ' ').toUpperCase();
    expect((await request(t.app).get('/api/v1/users/me').set('Authorization', basic(user.username, typed))).status).toBe(200);
    await t.deliverMail();
    expect(t.mail.to(user.email).map((m) => m.subject)).toContain('An app password was created for your Atrium account');
  });

  it('keep their scope: read cannot write', async () => {
    const user = await createUser(t);
    const secret = await createAppPassword(await signedIn(t, user), { scope: 'read' });
    const res = await request(t.app).put('/api/v1/users/me').set('Authorization', basic(user.username, secret)).send({ first_name: 'A', last_name: 'B' });
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe('insufficient_scope');
    const writer = await createAppPassword(await signedIn(t, user), { name: 'Sync tool', scope: 'write' });
    const ok = await request(t.app).put('/api/v1/users/me').set('Authorization', basic(user.username, writer)).send({ first_name: 'A', last_name: 'B' });
    expect(ok.status).toBe(200);
  });

  it('never sign in on the web form, and belong to their own account only', async () => {
    const user = await createUser(t);
    const secret = await createAppPassword(await signedIn(t, user), {});
    const visitor = new Visitor(t.app);
    const res = await visitor.submit('/login', { identifier: user.username, password: secret });
    expect(res.status).toBe(422);
    const other = await createUser(t);
    const wrongOwner = await request(t.app).get('/api/v1/users/me').set('Authorization', basic(other.username, secret));
    expect(wrongOwner.status).toBe(401);
    expect(wrongOwner.body.error.code).toBe('invalid_credentials');
    // The account password is not an app password.
    expect((await request(t.app).get('/api/v1/users/me').set('Authorization', basic(user.username, user.password))).status).toBe(401);
  });

  it('failed Basic attempts count against the sign-in limits', async () => {
    const limited = await startTestApp({ SIGNIN_FAILURES_PER_ACCOUNT_AND_IP: '3' });
    try {
      const user = await createUser(limited);
      const secret = (await limited.services.appPasswords.create(user, { name: 'x', scope: 'read' }, { ip: '127.0.0.1', userAgent: 'test', locale: 'en' })).secret;
      for (let i = 0; i < 3; i++) {
        expect((await request(limited.app).get('/api/v1/users/me').set('Authorization', basic(user.username, 'aaaa-bbbb-cccc-dddd-eeee-ffff'))).status).toBe(401);
      }
      const blocked = await request(limited.app).get('/api/v1/users/me').set('Authorization', basic(user.username, secret));
      expect(blocked.status).toBe(429);
      expect(blocked.headers['retry-after']).toBeDefined();
    } finally {
      await limited.close();
    }
  });

  it('are revoked one at a time', async () => {
    const user = await createUser(t);
    const visitor = await signedIn(t, user);
    const keep = await createAppPassword(visitor, { name: 'Keep' });
    const drop = await createAppPassword(visitor, { name: 'Drop' });
    const entry = (await t.services.appPasswords.list(user)).find((p) => p.name === 'Drop');
    const res = await visitor.post(`/profile/app-passwords/${entry?.id}/revoke`, { _csrf: visitor.csrf() });
    expect(res.status).toBe(303);
    expect((await visitor.get('/profile/app-passwords')).text).toContain('The app password was revoked. It no longer works.');
    expect((await request(t.app).get('/api/v1/users/me').set('Authorization', basic(user.username, drop))).status).toBe(401);
    expect((await request(t.app).get('/api/v1/users/me').set('Authorization', basic(user.username, keep))).status).toBe(200);
    expect((await visitor.post('/profile/app-passwords/00000000-0000-4000-8000-000000000000/revoke', { _csrf: visitor.csrf() })).status).toBe(404);
  });

  it('creating one needs a recent sign-in; bad input is refused with messages', async () => {
    const visitor = await signedIn(t, await createUser(t));
    const missing = await visitor.submit('/profile/app-passwords', {});
    expect(missing.status).toBe(422);
    expect(missing.text).toContain('Enter the name of the program.');
    const long = await visitor.submit('/profile/app-passwords', { name: 'n'.repeat(61), scope: 'write' });
    expect(long.text).toContain('Must be 60 characters or fewer');
    const wrongType = await visitor.submit('/profile/app-passwords', { name: ['a', 'b'], scope: 'write' });
    expect(wrongType.status).toBe(422);
    const hostile = await visitor.submit('/profile/app-passwords', { name: 'a\u0000b', scope: 'write' });
    expect(hostile.status).toBe(422);
    t.clock.advance(11 * MINUTE);
    const late = await visitor.submit('/profile/app-passwords', { name: 'Mail client', scope: 'read' });
    expect(late.headers.location).toBe('/reauth?next=%2Fprofile%2Fapp-passwords');
  });
});
