import { describeApp } from '../../helpers/app';
import { Visitor } from '../../helpers/browser-agent';
import { createUser, signedIn } from '../../helpers/factories';

const t = describeApp();

const MINUTE = 60_000;

describe('Session timeouts', () => {
  it('ends a session left idle for longer than 30 minutes, explains it, and returns to the page afterwards', async () => {
    const user = await createUser(t);
    const visitor = await signedIn(t, user);
    t.clock.advance(29 * MINUTE);
    expect((await visitor.get('/')).text).toContain('Hello, Jane!');
    t.clock.advance(29 * MINUTE);
    expect((await visitor.get('/')).text).toContain('Hello, Jane!');

    t.clock.advance(31 * MINUTE);
    const res = await visitor.get('/?from=bookmark');
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/login?next=%2F%3Ffrom%3Dbookmark');
    expect(await t.deps.sessions.listByUser(user.id)).toHaveLength(0);

    const login = await visitor.get(res.headers.location as string);
    expect(login.text).toContain('Your session has expired, please sign in again.');
    const back = await visitor.post('/login', { _csrf: visitor.csrf(), identifier: user.username, password: user.password, next: '/?from=bookmark' });
    expect(back.headers.location).toBe('/?from=bookmark');
  });

  it('ends a session 12 hours after sign-in however active it is', async () => {
    const user = await createUser(t);
    const visitor = await signedIn(t, user);
    for (let hour = 0; hour < 11; hour++) {
      t.clock.advance(20 * MINUTE);
      expect((await visitor.get('/')).text).toContain('Hello, Jane!');
      t.clock.advance(20 * MINUTE);
      expect((await visitor.get('/')).text).toContain('Hello, Jane!');
      t.clock.advance(20 * MINUTE);
      expect((await visitor.get('/')).text).toContain('Hello, Jane!');
    }
    t.clock.advance(61 * MINUTE);
    const res = await visitor.get('/');
    expect(res.headers.location).toBe('/login');
    expect((await visitor.get('/login')).text).toContain('Your session has expired, please sign in again.');
  });

  it('sends a visitor whose session is gone from the store to sign in, with the same explanation', async () => {
    const user = await createUser(t);
    const visitor = await signedIn(t, user);
    await t.deps.sessions.destroyAllForUser(user.id);
    const res = await visitor.get('/');
    expect(res.headers.location).toBe('/login');
    expect((await visitor.get('/login')).text).toContain('Your session has expired, please sign in again.');
  });

  it('keeps anonymous sessions (only there for the form token) to an hour at most', async () => {
    const res = await new Visitor(t.app).get('/login');
    const cookie = String(res.headers['set-cookie']);
    const expires = new Date(/Expires=([^;]+)/.exec(cookie)?.[1] as string).getTime();
    expect(expires - new Date(res.headers.date as string).getTime()).toBeLessThanOrEqual(3600_000);
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Lax/);
  });

  it('does not create a session for a visitor who only reads the welcome page', async () => {
    const res = await new Visitor(t.app).get('/');
    expect(res.headers['set-cookie']).toBeUndefined();
  });
});
