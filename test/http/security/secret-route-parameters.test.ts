import crypto from 'node:crypto';
import request from 'supertest';
import { createApp } from '../../../src/app';
import { loadConfig } from '../../../src/config';
import { closeDeps, createDeps } from '../../../src/deps';
import { describeApp } from '../../helpers/app';
import { Visitor, csrfTokenIn } from '../../helpers/browser-agent';
import { createUser, signedIn } from '../../helpers/factories';
import { liveRoutes } from '../../helpers/route-list';
import { captureLogs } from '../../helpers/log-capture';
import { linkIn } from '../../helpers/mail-catcher';
import { closedPort } from '../../helpers/tcp-proxy';

const logs = captureLogs();
const t = describeApp({}, { logger: logs.logger, mail: true });

/** The emailed-link routes today; the walk must find at least these. */
const KNOWN = ['/reset-password/:token', '/verify-email/:token', '/confirm-email/:token', '/undo-email-change/:token', '/confirm-recovery-email/:token', '/not-me/:token'];

/** Every route path with a :token parameter, found by walking the live Express router. */
function tokenRoutePaths(): string[] {
  const paths = [...new Set(liveRoutes(t.app).map((route) => route.path).filter((path) => /:token\b/.test(path)))];
  expect(paths).toEqual(expect.arrayContaining(KNOWN));
  return paths;
}

/** Shaped like a real link token (43 base64url characters), so the routes look it up; easy to spot in a log. */
const recognisable = () => `Leak${crypto.randomBytes(32).toString('base64url')}`.slice(0, 43);

/** The route's URL with the token filled in, and other spellings that reach the same route. */
function urlsFor(path: string, token: string): string[] {
  const url = path.replace(/:token\b/g, token).replace(/:\w+/g, '00000000-0000-4000-8000-000000000000');
  return [url, `${url}/`, `${url}/more`, `${url}?from=mail`, url.split(token).map((part) => part.toUpperCase()).join(token)];
}

/** GET, POST without a form token (refused before any route runs) and POST with one (the route's handler runs). */
async function requestEveryWay(url: string, visitor: Visitor, csrf: string) {
  return [
    { way: `GET ${url}`, res: await visitor.get(url) },
    { way: `POST ${url} without a form token`, res: await visitor.post(url, {}) },
    { way: `POST ${url}`, res: await visitor.post(url, { _csrf: csrf }) },
  ];
}

async function freshVisitor() {
  const visitor = new Visitor(t.app);
  return { visitor, csrf: csrfTokenIn((await visitor.get('/login')).text) };
}

describe('Tokens in URL paths (every route with a :token parameter)', () => {
  it('never reach the request log, whatever the route, method, form token or spelling of the URL', async () => {
    const { visitor, csrf } = await freshVisitor();
    const tokens: string[] = [];
    let sent = 0;
    for (const path of tokenRoutePaths()) {
      const token = recognisable();
      tokens.push(token);
      for (const url of urlsFor(path, token)) sent += (await requestEveryWay(url, visitor, csrf)).length;
    }
    await new Promise((resolve) => setImmediate(resolve));
    const text = logs.text();
    for (const token of tokens) expect(text).not.toContain(token);
    // Every one of those requests was logged, with its token cut out.
    const redactedLines = text.split('\n').filter((line) => /"url":"[^"]*\[redacted\]/i.test(line));
    expect(redactedLines.length).toBeGreaterThanOrEqual(sent);
  });

  it('send Referrer-Policy: no-referrer on every page, the error pages for bad tokens included', async () => {
    const { visitor, csrf } = await freshVisitor();
    const leaky: string[] = [];
    for (const path of tokenRoutePaths()) {
      for (const url of urlsFor(path, recognisable())) {
        for (const { way, res } of await requestEveryWay(url, visitor, csrf)) {
          if (res.headers['referrer-policy'] !== 'no-referrer') leaky.push(`${way} (${res.status}): ${res.headers['referrer-policy']}`);
        }
      }
    }
    expect(leaky).toEqual([]);
  });

  it('send no-referrer on a real "This wasn\'t me" page too, and its token stays out of the log', async () => {
    const user = await createUser(t);
    const visitor = await signedIn(t, user);
    await visitor.submit('/profile/tokens', { name: 'Mallory', scope: 'write', expires: '30' });
    await t.deliverMail();
    const notice = t.mail.to(user.email).find((m) => m.subject === 'A personal access token was created for your Atrium account');
    const path = new URL(linkIn(notice as NonNullable<typeof notice>, `${t.config.baseUrl.origin}/not-me/`)).pathname;
    const page = await new Visitor(t.app).get(path);
    expect(page.status).toBe(200);
    expect(page.headers['referrer-policy']).toBe('no-referrer');
    await new Promise((resolve) => setImmediate(resolve));
    expect(logs.text()).not.toContain(path.split('/').pop());
  });

  it('leave Referrer-Policy: same-origin on pages without a token, under the same prefixes too', async () => {
    const { visitor, csrf } = await freshVisitor();
    for (const url of ['/login', '/forgot-password', '/reset-password', '/not-me', '/verify-email', '/profile/account']) {
      for (const { way, res } of await requestEveryWay(url, visitor, csrf)) expect([way, res.headers['referrer-policy']]).toEqual([way, 'same-origin']);
    }
  });

  it('are cut out of the log lines of a page that fails because the database is down', async () => {
    const capture = captureLogs();
    const config = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'info', BCRYPT_COST: '4', DATABASE_URL: `postgres://x@127.0.0.1:${await closedPort()}/none` });
    const deps = await createDeps(config, { skipMigrations: true, breached: { has: () => false, size: 0 }, logger: capture.logger });
    try {
      const token = recognisable();
      const res = await request(createApp(deps).app).get(`/not-me/${token}`).set('Accept', 'text/html');
      expect(res.status).toBe(503);
      await new Promise((resolve) => setImmediate(resolve));
      expect(capture.text()).toContain('back-end unavailable');
      expect(capture.text()).not.toContain(token);
      expect(res.headers['referrer-policy']).toBe('no-referrer');
    } finally {
      await closeDeps(deps);
    }
  });
});
