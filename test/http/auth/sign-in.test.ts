import { createPasswordHasher } from '../../../src/features/password/password-hasher';
import { describeApp } from '../../helpers/app';
import { Visitor } from '../../helpers/browser-agent';
import { createUser, signedIn } from '../../helpers/factories';

const t = describeApp();

describe('Signing in', () => {
  it('works with the username or the email address, in any case, and starts a new session id', async () => {
    const user = await createUser(t, { username: 'sam', email: 'Sam@Example.com', firstName: 'Sam' });
    for (const identifier of ['sam', 'SAM', 'sam@example.com', ' Sam@Example.com ']) {
      const visitor = new Visitor(t.app);
      const form = await visitor.get('/login');
      const before = /sid=([^;]+)/.exec(String(form.headers['set-cookie']))?.[1];
      const res = await visitor.post('/login', { _csrf: visitor.csrf(), identifier, password: user.password });
      expect(res.status).toBe(303);
      const after = /sid=([^;]+)/.exec(String(res.headers['set-cookie']))?.[1];
      expect(after).toBeDefined();
      expect(after).not.toBe(before);
      expect((await visitor.get('/')).text).toContain('Hello, Sam!');
    }
  });

  it('gives one message for an unknown account and for a wrong password', async () => {
    const user = await createUser(t);
    const wrong = await new Visitor(t.app).submit('/login', { identifier: user.username, password: 'not the password at all' });
    const unknown = await new Visitor(t.app).submit('/login', { identifier: 'nobody-here', password: 'not the password at all' });
    for (const res of [wrong, unknown]) {
      expect(res.status).toBe(422);
      expect(res.text).toContain('The username, email address or password is not right.');
    }
    expect(wrong.text).toContain(`value="${user.username}"`);
    expect(wrong.text).not.toContain('not the password at all');
  });

  it('asks for both fields', async () => {
    const res = await new Visitor(t.app).submit('/login', {});
    expect(res.status).toBe(422);
    expect(res.text).toContain('Enter your username or email address');
    expect(res.text).toContain('Enter your password');
  });

  it('returns to the page that was asked for, but never to another site', async () => {
    const user = await createUser(t);
    const visitor = new Visitor(t.app);
    const asked = await visitor.get('/?tab=x');
    expect(asked.status).toBe(200);
    const res = await visitor.submit('/login?next=%2F%3Ftab%3Dx', { identifier: user.username, password: user.password, next: '/?tab=x' });
    expect(res.headers.location).toBe('/?tab=x');

    for (const next of ['https://evil.example/', '//evil.example/', '/\\evil.example', 'javascript:alert(1)', '/%0d%0aSet-Cookie:x=y']) {
      const v = new Visitor(t.app);
      const r = await v.submit(`/login?next=${encodeURIComponent(next)}`, { identifier: user.username, password: user.password, next });
      expect(r.status).toBe(303);
      expect(r.headers.location === '/' || r.headers.location?.startsWith('/%0D%0A') || r.headers.location?.startsWith('/%0d%0a')).toBe(true);
      expect(r.headers.location).not.toMatch(/^\/\/|^https?:|evil/);
    }
  });

  it('refuses a locked account only after the right password, with its own message', async () => {
    const user = await createUser(t);
    await t.deps.db('users').where({ id: user.id }).update({ locked_at: new Date() });
    const res = await new Visitor(t.app).submit('/login', { identifier: user.username, password: user.password });
    expect(res.status).toBe(403);
    expect(res.text).toContain('This account has been locked by an administrator');
  });

  it('upgrades an old password hash after a successful sign-in', async () => {
    const user = await createUser(t);
    const older = await createPasswordHasher({ cost: 5 }).hash(user.password);
    await t.repos.users.rehashPassword(user.id, older);
    await signedIn(t, user);
    const stored = await t.repos.users.findById(user.id);
    expect(stored?.passwordHash).toMatch(/\$2b\$04\$/);
  });
});
