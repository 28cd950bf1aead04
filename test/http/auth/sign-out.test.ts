import { describeApp } from '../../helpers/app';
import { Visitor, csrfTokenIn } from '../../helpers/browser-agent';
import { createUser, signedIn } from '../../helpers/factories';

const t = describeApp();

describe('Logging out', () => {
  it('destroys the session on the server, clears the cookie, and the old cookie is worthless afterwards', async () => {
    const user = await createUser(t);
    const visitor = await signedIn(t, user);
    const home = await visitor.get('/');
    const cookieHeader = String(home.request.getHeader('cookie') ?? '');
    expect(await t.deps.sessions.listByUser(user.id)).toHaveLength(1);

    const res = await visitor.post('/logout', { _csrf: csrfTokenIn(home.text) });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/login?signed_out=1');
    expect(res.headers['clear-site-data']).toBe('"cache", "storage"');
    expect(String(res.headers['set-cookie'])).toMatch(/sid=;.*Expires=Thu, 01 Jan 1970/);
    expect(await t.deps.sessions.listByUser(user.id)).toHaveLength(0);

    const after = await visitor.get('/login?signed_out=1');
    expect(after.text).toContain('You have logged out.');

    // Someone who kept a copy of the old cookie gets nothing from it.
    const replay = await new Visitor(t.app).agent.get('/').set('Cookie', cookieHeader).set('Accept', 'text/html');
    expect(replay.text).not.toContain('Hello, Jane');
    expect(replay.text).toContain('Sign in');
  });

  it('needs the form token, so another site cannot log people out', async () => {
    const user = await createUser(t);
    const visitor = await signedIn(t, user);
    const res = await visitor.post('/logout', {});
    expect(res.status).toBe(403);
    expect(res.text).toContain('This form expired, please try again.');
    expect(await t.deps.sessions.listByUser(user.id)).toHaveLength(1);
  });
});
