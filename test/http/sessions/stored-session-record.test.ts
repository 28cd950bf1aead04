import type { SessionData } from 'express-session';
import request from 'supertest';
import { backend, describeApp } from '../../helpers/app';
import { csrfTokenIn, USER_AGENTS } from '../../helpers/browser-agent';
import { createUser } from '../../helpers/factories';
import type { createRedis } from '../../../src/infra/redis';
import type { RedisSessionStore } from '../../../src/infra/session-store/redis-session-store';

const t = describeApp({ BASE_URL: 'https://accounts.example.com', TRUST_PROXY: '1' });

/** The one Redis server of the real back-end, with every command (the app's own type names only those it uses). */
const serverClient = () => t.deps.redis as ReturnType<typeof createRedis> | undefined;

/** A browser behind the TLS-terminating proxy, keeping its cookies and every Set-Cookie it was sent. */
class Browser {
  readonly cookies = new Map<string, string>();
  lastSessionCookie = '';

  async send(method: 'get' | 'post', url: string, form?: Record<string, string>): Promise<request.Response> {
    const cookie = [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
    const call = request(t.app)[method](url).set({ 'X-Forwarded-Proto': 'https', Accept: 'text/html', 'User-Agent': USER_AGENTS.firefoxLinuxArm, ...(cookie ? { Cookie: cookie } : {}) });
    const res = await (form ? call.type('form').send(form) : call);
    for (const line of ([] as string[]).concat(res.headers['set-cookie'] ?? [])) {
      const [pair = ''] = line.split(';');
      const name = pair.slice(0, pair.indexOf('='));
      this.cookies.set(name, pair.slice(pair.indexOf('=') + 1));
      if (name === '__Host-sid') this.lastSessionCookie = line;
    }
    return res;
  }

  async signIn(user: { username: string; password: string }): Promise<void> {
    const page = await this.send('get', '/login');
    expect((await this.send('post', '/login', { _csrf: csrfTokenIn(page.text), identifier: user.username, password: user.password })).status).toBe(303);
  }

  get sessionId(): string {
    const value = decodeURIComponent(this.cookies.get('__Host-sid') ?? '');
    return value.slice(2, value.lastIndexOf('.'));
  }
}

/** The attributes of a Set-Cookie line, without its value and its moving expiry. */
const attributesOf = (line: string) =>
  line
    .split(';')
    .slice(1)
    .map((a) => a.trim())
    .filter((a) => !/^expires=/i.test(a))
    .sort();

const stored = (sid: string) => new Promise<SessionData>((resolve, reject) => t.deps.sessions.get(sid, (err, data) => (err || !data ? reject(new Error('no session')) : resolve(data))));

/** Writes the session back as the service did before the compact format: JSON of the whole session, with the raw User-Agent. */
async function storeInFormerFormat(sid: string, userAgent: string): Promise<void> {
  const former: Partial<SessionData> & { userAgent: string } = { ...(await stored(sid)), userAgent };
  delete former.device;
  if (backend === 'real') {
    const store = t.deps.sessions as RedisSessionStore;
    await serverClient()?.sendCommand(['SET', store.prefix + sid, JSON.stringify(former), 'KEEPTTL']);
  } else {
    await new Promise<void>((resolve, reject) => t.deps.sessions.set(sid, former as SessionData, (err) => (err ? reject(err as Error) : resolve())));
  }
}

describe('A signed-in session as the store keeps it', () => {
  it('gives the cookie the same attributes on later pages, after the session was read back from the store, as at sign-in', async () => {
    const user = await createUser(t);
    const browser = new Browser();
    await browser.signIn(user);
    const atSignIn = attributesOf(browser.lastSessionCookie);
    expect(atSignIn).toEqual(expect.arrayContaining(['HttpOnly', 'Path=/', 'SameSite=Lax', 'Secure']));

    const page = await browser.send('get', '/profile/account');
    expect(page.status).toBe(200);
    expect(browser.lastSessionCookie).not.toBe('');
    expect(attributesOf(browser.lastSessionCookie)).toEqual(atSignIn);
  });

  it('keeps every detail the Sessions tab shows', async () => {
    const user = await createUser(t);
    const browser = new Browser();
    await browser.signIn(user);
    const [session] = await t.deps.sessions.listByUser(user.id);
    expect(session?.data).toMatchObject({ userId: user.id, authMethod: 'password', ip: expect.any(String) as string, device: { browser: 'Firefox', browserVersion: '133.0', os: 'Linux', engine: 'Gecko', cpu: 'arm64' } });
    const tab = await browser.send('get', '/profile/sessions');
    expect(tab.text).toContain('Firefox 133 on Linux');
    expect(tab.text).toContain('arm64');
  });

  it('still knows a person whose session was stored in the former format, so that a deploy signs no one out', async () => {
    const user = await createUser(t);
    const browser = new Browser();
    await browser.signIn(user);
    await storeInFormerFormat(browser.sessionId, USER_AGENTS.iphoneSafari);

    const tab = await browser.send('get', '/profile/sessions');
    expect(tab.status).toBe(200);
    expect(tab.text).toContain('Mobile Safari 17.5');
    expect(tab.text).toContain('Apple iPhone');
    expect(attributesOf(browser.lastSessionCookie)).toEqual(expect.arrayContaining(['HttpOnly', 'Path=/', 'SameSite=Lax', 'Secure']));
    expect((await stored(browser.sessionId)).userId).toBe(user.id);
  });
});

if (backend === 'real') {
  describe('A signed-in session in Redis', () => {
    it('takes at most 320 bytes of Redis memory, key and value (552 in the former format)', async () => {
      const user = await createUser(t);
      const browser = new Browser();
      await browser.signIn(user);
      const store = t.deps.sessions as RedisSessionStore;
      const bytes = Number(await serverClient()?.sendCommand(['MEMORY', 'USAGE', store.prefix + browser.sessionId, 'SAMPLES', '0']));
      expect(bytes).toBeGreaterThan(0);
      expect(bytes).toBeLessThanOrEqual(320);
    });
  });
}
