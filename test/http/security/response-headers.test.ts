import request from 'supertest';
import { describeApp } from '../../helpers/app';
import { csrfTokenIn } from '../../helpers/browser-agent';
import { createUser } from '../../helpers/factories';
import * as images from '../../helpers/images';
import { concretePath, liveRoutes } from '../../helpers/route-list';

const ctx = { ip: '127.0.0.1', userAgent: 'test', locale: 'en' as const };
const YEAR_SECONDS = 31_536_000;
const SAFE_REFERRER_POLICIES = ['no-referrer', 'same-origin', 'strict-origin', 'strict-origin-when-cross-origin'];

const t = describeApp({ BASE_URL: 'https://accounts.example.com', TRUST_PROXY: '1' });

type Method = 'get' | 'post' | 'put' | 'delete' | 'options';

/**
 * A request as it arrives from the TLS-terminating proxy. supertest keeps Secure cookies to
 * itself over plain HTTP, so the __Host- cookies travel by hand, as the browser sends them.
 */
function overTls(method: Method, path: string, headers: Record<string, string> = {}) {
  return request(t.app)[method](path).set({ 'X-Forwarded-Proto': 'https', Accept: 'text/html', ...headers });
}

const cookiePair = (res: request.Response, name: string) =>
  ([] as string[]).concat(res.headers['set-cookie'] ?? []).find((c) => c.startsWith(`${name}=`))?.split(';')[0];

async function signInOverTls(): Promise<{ cookie: string; userId: string; username: string }> {
  const user = await createUser(t);
  const page = await overTls('get', '/login');
  const res = await overTls('post', '/login', { Cookie: cookiePair(page, '__Host-sid') as string })
    .type('form')
    .send({ _csrf: csrfTokenIn(page.text), identifier: user.username, password: user.password });
  expect(res.status).toBe(303);
  return { cookie: cookiePair(res, '__Host-sid') as string, userId: user.id, username: user.username };
}

/** What is wrong with the protective headers of one response (nothing, ideally). */
function headerProblems(res: request.Response): string[] {
  const problems: string[] = [];
  const hsts = String(res.headers['strict-transport-security'] ?? '');
  if (Number(/max-age=(\d+)/.exec(hsts)?.[1] ?? 0) < YEAR_SECONDS) problems.push(`HSTS max-age under a year: "${hsts}"`);
  if (!/includeSubDomains/i.test(hsts)) problems.push(`HSTS without includeSubDomains: "${hsts}"`);
  const csp = new Map(
    String(res.headers['content-security-policy'] ?? '')
      .split(';')
      .map((d) => d.trim().split(/\s+/))
      .filter(([name]) => name)
      .map(([name, ...values]) => [name as string, values]),
  );
  for (const [directive, value] of [['object-src', "'none'"], ['base-uri', "'none'"], ['frame-ancestors', "'none'"]] as const) {
    if (csp.get(directive)?.join(' ') !== value) problems.push(`CSP ${directive} is not ${value}: "${res.headers['content-security-policy']}"`);
  }
  const scripts = csp.get('script-src') ?? csp.get('default-src') ?? [];
  if (scripts.length === 0 || scripts.some((s) => s === "'unsafe-inline'" || s === "'unsafe-eval'" || s === '*')) problems.push(`CSP scripts not restricted: "${res.headers['content-security-policy']}"`);
  if (res.headers['x-content-type-options'] !== 'nosniff') problems.push('no X-Content-Type-Options: nosniff');
  if (!SAFE_REFERRER_POLICIES.includes(String(res.headers['referrer-policy']))) problems.push(`Referrer-Policy "${res.headers['referrer-policy']}"`);
  return problems;
}

describe('Every response over HTTPS', () => {
  it('carries HSTS for a year with subdomains, a CSP with object-src, base-uri and frame-ancestors none, nosniff and a referrer policy', async () => {
    const person = await signInOverTls();
    const user = await t.repos.users.findById(person.userId);
    const avatarHash = await t.services.avatars.upload(user as NonNullable<typeof user>, await images.solidPng());
    const { secret } = await t.services.apiTokens.create(user as NonNullable<typeof user>, { name: 'headers', scope: 'read', expires: '30' }, ctx);
    const routes = liveRoutes(t.app);
    const params = { username: person.username, hash: avatarHash };

    const responses: Array<[string, request.Response]> = [];
    for (const route of routes) {
      const path = concretePath(route.path, params);
      const method = route.method.toLowerCase() as Method;
      responses.push([`anonymous ${route.method} ${path}`, await overTls(method, path)]);
      if (route.method === 'GET') responses.push([`signed-in GET ${path}`, await overTls('get', path, { Cookie: person.cookie })]);
      if (path.startsWith('/api/v1/') && route.method === 'GET') responses.push([`token GET ${path}`, await overTls('get', path, { Authorization: `Bearer ${secret}`, Accept: 'application/json' })]);
    }
    responses.push(['a page that does not exist', await overTls('get', '/no/such/page')]);
    responses.push(['a preflight', await overTls('options', '/profile/account')]);
    responses.push(['a style sheet', await overTls('get', `/assets/css/app.css`)]);
    responses.push(['an avatar', await overTls('get', `/avatars/${avatarHash}/256.webp`)]);
    responses.push(['a JSON error', await overTls('get', '/api/v1/users/me', { Accept: 'application/json' })]);

    const statuses = new Set(responses.map(([, res]) => res.status));
    for (const status of [200, 303, 401, 403, 404]) expect(statuses).toContain(status);
    expect(responses.find(([name]) => name === 'an avatar')?.[1].status).toBe(200);
    const problems = responses.flatMap(([name, res]) => headerProblems(res).map((problem) => `${name} (${res.status}): ${problem}`));
    expect(problems).toEqual([]);
  });
});

describe('What must never be rendered as a page', () => {
  it('uploaded pictures, API answers and downloads come with a type, nosniff, and a sandbox or an attachment disposition', async () => {
    const person = await signInOverTls();
    const user = await t.repos.users.findById(person.userId);
    const avatarHash = await t.services.avatars.upload(user as NonNullable<typeof user>, await images.gifJavaScriptPolyglot());
    const { secret } = await t.services.apiTokens.create(user as NonNullable<typeof user>, { name: 'render', scope: 'read', expires: '30' }, ctx);

    for (const size of ['256', '96']) {
      const avatar = await overTls('get', `/avatars/${avatarHash}/${size}.webp`, { Accept: 'text/html' });
      expect(avatar.status).toBe(200);
      expect(avatar.headers['content-type']).toBe('image/webp');
      expect(avatar.headers['x-content-type-options']).toBe('nosniff');
      expect(avatar.headers['content-security-policy']).toMatch(/default-src 'none'/);
      expect(avatar.headers['content-security-policy']).toMatch(/(^|; )sandbox(;|$)/);
    }

    const api = await overTls('get', '/api/v1/users/me', { Authorization: `Bearer ${secret}`, Accept: 'text/html' });
    expect(api.status).toBe(200);
    expect(api.headers['content-type']).toMatch(/^application\/json/);
    expect(api.headers['x-content-type-options']).toBe('nosniff');

    const keys = await overTls('get', `/users/${person.username}.keys`, { Accept: 'text/html' });
    expect(keys.headers['content-type']).toMatch(/^text\/plain/);
    expect(keys.headers['x-content-type-options']).toBe('nosniff');

    const exported = await overTls('get', '/profile/data/export', { Cookie: person.cookie });
    expect(exported.status).toBe(200);
    expect(exported.headers['content-disposition']).toMatch(/^attachment; filename="[a-z0-9-]+\.json"$/);
  });
});
