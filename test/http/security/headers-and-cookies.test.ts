import request from 'supertest';
import { describeApp } from '../../helpers/app';
import { Visitor, csrfTokenIn } from '../../helpers/browser-agent';
import { createUser, GOOD_PASSWORD } from '../../helpers/factories';

describe('Over plain HTTP (development)', () => {
  const t = describeApp();

  it('sends a strict Content-Security-Policy and the other protective headers', async () => {
    const res = await request(t.app).get('/login').set('Accept', 'text/html');
    const csp = String(res.headers['content-security-policy']);
    for (const directive of ["default-src 'self'", "script-src 'self'", "object-src 'none'", "base-uri 'none'", "frame-ancestors 'none'", "form-action 'self'"]) {
      expect(csp).toContain(directive);
    }
    expect(csp).not.toContain('unsafe-inline');
    expect(res.headers['x-frame-options']).toBe('DENY');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.headers['x-powered-by']).toBeUndefined();
  });

  it('serves pages without inline scripts or styles', async () => {
    const res = await request(t.app).get('/signup').set('Accept', 'text/html');
    expect(res.text).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
    expect(res.text).not.toMatch(/\sstyle="/);
    expect(res.text).not.toMatch(/\son[a-z]+="/);
  });

  it('gives every cookie an explicit SameSite, and the session cookie HttpOnly', async () => {
    const user = await createUser(t);
    const visitor = new Visitor(t.app);
    await visitor.get('/appearance?language=de&theme=dark');
    const page = await visitor.get('/login');
    const res = await visitor.post('/login', { _csrf: csrfTokenIn(page.text), identifier: user.username, password: user.password });
    const cookies = [...(page.headers['set-cookie'] as unknown as string[]), ...(res.headers['set-cookie'] as unknown as string[])];
    expect(cookies.length).toBeGreaterThan(1);
    for (const cookie of cookies) expect(cookie).toMatch(/SameSite=(Lax|Strict)/);
    expect(cookies.find((c) => c.startsWith('sid='))).toMatch(/HttpOnly/);
  });
});

describe('Over HTTPS (BASE_URL https, behind a TLS-terminating proxy)', () => {
  const t = describeApp({ BASE_URL: 'https://accounts.example.com', TRUST_PROXY: '1' });

  // supertest's cookie jar keeps Secure cookies to itself over plain HTTP, so the
  // cookie travels by hand here, as the browser would send it over TLS.
  const cookieFrom = (res: request.Response, name: string) =>
    (res.headers['set-cookie'] as unknown as string[]).find((c) => c.startsWith(`${name}=`))?.split(';')[0] as string;

  async function signInOverTls(username: string, password: string, forwardedFor?: string) {
    const headers: Record<string, string> = { 'X-Forwarded-Proto': 'https', Accept: 'text/html', ...(forwardedFor ? { 'X-Forwarded-For': forwardedFor } : {}) };
    const page = await request(t.app).get('/login').set(headers);
    const res = await request(t.app)
      .post('/login')
      .set(headers)
      .set('Cookie', cookieFrom(page, '__Host-sid'))
      .type('form')
      .send({ _csrf: csrfTokenIn(page.text), identifier: username, password });
    return { page, res };
  }

  it('uses __Host- cookies marked Secure, and HSTS', async () => {
    const user = await createUser(t, { password: GOOD_PASSWORD });
    const { page, res } = await signInOverTls(user.username, GOOD_PASSWORD);
    const sid = (page.headers['set-cookie'] as unknown as string[]).find((c) => c.startsWith('__Host-sid='));
    expect(sid).toMatch(/Secure/);
    expect(sid).toMatch(/Path=\//);
    expect(sid).not.toMatch(/Domain=/);
    expect(page.headers['strict-transport-security']).toMatch(/max-age=31536000/);
    expect(res.status).toBe(303);
    expect(String(res.headers['set-cookie'])).toMatch(/__Host-signed_in=1;.*Secure/);

    const lang = await request(t.app).get('/appearance?language=de').set('X-Forwarded-Proto', 'https');
    expect(String(lang.headers['set-cookie'])).toMatch(/__Host-lang=de;.*Secure/);
  });

  it('believes X-Forwarded-For only because TRUST_PROXY is set', async () => {
    const user = await createUser(t);
    const { res } = await signInOverTls(user.username, user.password, '203.0.113.50');
    expect(res.status).toBe(303);
    const [session] = await t.deps.sessions.listByUser(user.id);
    expect(session?.data.ip).toBe('203.0.113.50');
  });
});

describe('Without TRUST_PROXY', () => {
  const t = describeApp();

  it('ignores X-Forwarded-For, so nobody can pick the address their attempts are counted against', async () => {
    const user = await createUser(t);
    const agent = request.agent(t.app);
    const page = await agent.get('/login').set('X-Forwarded-For', '203.0.113.50');
    await agent.post('/login').set('X-Forwarded-For', '203.0.113.50').type('form').send({ _csrf: csrfTokenIn(page.text), identifier: user.username, password: user.password });
    const [session] = await t.deps.sessions.listByUser(user.id);
    expect(session?.data.ip).not.toBe('203.0.113.50');
  });
});
