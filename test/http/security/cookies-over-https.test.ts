import fs from 'node:fs';
import path from 'node:path';
import request from 'supertest';
import { describeApp } from '../../helpers/app';
import { csrfTokenIn } from '../../helpers/browser-agent';
import { createUser } from '../../helpers/factories';
import { captureLogs } from '../../helpers/log-capture';

const logs = captureLogs('debug');
const t = describeApp({ BASE_URL: 'https://accounts.example.com', TRUST_PROXY: '1' }, { logger: logs.logger });

/** A browser on the other side of the TLS-terminating proxy; it keeps and sends its cookies by hand. */
class TlsBrowser {
  readonly cookies = new Map<string, string>();
  readonly setCookies: string[] = [];

  async send(method: 'get' | 'post', url: string, form?: Record<string, string>, accept = 'text/html'): Promise<request.Response> {
    const cookie = [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
    const call = request(t.app)[method](url).set({ 'X-Forwarded-Proto': 'https', Accept: accept, ...(cookie ? { Cookie: cookie } : {}) });
    const res = await (form ? call.type('form').send(form) : call);
    for (const line of ([] as string[]).concat(res.headers['set-cookie'] ?? [])) {
      this.setCookies.push(line);
      const [pair = ''] = line.split(';');
      const name = pair.slice(0, pair.indexOf('='));
      const value = pair.slice(pair.indexOf('=') + 1);
      if (value === '' || /Expires=Thu, 01 Jan 1970/i.test(line)) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    return res;
  }

  async signIn(user: { username: string; password: string }): Promise<request.Response> {
    const page = await this.send('get', '/login');
    return this.send('post', '/login', { _csrf: csrfTokenIn(page.text), identifier: user.username, password: user.password });
  }
}

const sessionIdOf = (browser: TlsBrowser) => {
  const value = decodeURIComponent(browser.cookies.get('__Host-sid') ?? '');
  return value.slice(2, value.lastIndexOf('.'));
};

describe('Cookies over HTTPS', () => {
  it('are all __Host- cookies: Secure, Path=/, no Domain, SameSite, and HttpOnly; the script-written time zone cookie gets the same name and Secure', async () => {
    const user = await createUser(t);
    const browser = new TlsBrowser();
    await browser.send('get', '/appearance?language=de&theme=dark');
    expect((await browser.signIn(user)).status).toBe(303);
    const page = await browser.send('get', '/profile/account');
    expect(page.status).toBe(200);
    await browser.send('post', '/logout', { _csrf: csrfTokenIn(page.text) });

    const names = new Set(browser.setCookies.map((line) => line.slice(0, line.indexOf('='))));
    expect([...names].sort()).toEqual(['__Host-did', '__Host-lang', '__Host-sid', '__Host-signed_in', '__Host-theme']);
    for (const line of browser.setCookies) {
      const attributes = line.split(';').slice(1).map((a) => a.trim().toLowerCase());
      expect({ line, secure: attributes.includes('secure'), httpOnly: attributes.includes('httponly'), path: attributes.includes('path=/') }).toEqual({ line, secure: true, httpOnly: true, path: true });
      expect(attributes.some((a) => a.startsWith('domain='))).toBe(false);
      expect(attributes.some((a) => a === 'samesite=lax' || a === 'samesite=strict')).toBe(true);
    }

    // The one cookie a script writes (the browser's time zone) is named by the page and marked Secure on https.
    expect(page.text).toContain('data-tz-cookie="__Host-tz"');
    const script = fs.readFileSync(path.join(__dirname, '..', '..', '..', 'public', 'js', 'app.js'), 'utf8');
    expect(script).toMatch(/getAttribute\('data-tz-cookie'\)/);
    expect(script).toMatch(/location\.protocol === 'https:' \? '; secure'/);
  });

  it('carry the session id only in Set-Cookie: never in a page, a JSON answer, a Location header or the log', async () => {
    const user = await createUser(t);
    const browser = new TlsBrowser();
    const signIn = await browser.signIn(user);
    const id = sessionIdOf(browser);
    // A signed-in id: its user's hash tag, then the 192 random bits that are the bearer secret.
    expect(id).toMatch(/^\{[A-Za-z0-9_-]{4}\}[A-Za-z0-9_-]{32}$/);
    const secret = id.slice(-32);

    const urls = ['/', '/profile/account', '/profile/sessions', '/profile/security', '/profile/activity', '/profile/data'];
    const answers: Array<[string, request.Response]> = [['POST /login', signIn]];
    for (const url of urls) answers.push([url, await browser.send('get', url)]);
    answers.push(['API sessions', await browser.send('get', '/api/v1/users/me/sessions', undefined, 'application/json')]);
    answers.push(['data export', await browser.send('get', '/profile/data/export', undefined, 'application/json')]);
    expect(answers.every(([, res]) => res.status < 400)).toBe(true);
    expect(answers.filter(([, res]) => res.type === 'application/json')).toHaveLength(2);
    for (const [name, res] of answers) {
      const leaks = res.text.includes(secret) || String(res.headers.location ?? '').includes(secret);
      expect({ name, leaks }).toEqual({ name, leaks: false });
    }
    expect(logs.text().length).toBeGreaterThan(0);
    expect(logs.text()).not.toContain(secret);
  });
});
