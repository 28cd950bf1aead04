import path from 'node:path';
import { describeApp } from '../../helpers/app';
import { Visitor, csrfTokenIn } from '../../helpers/browser-agent';
import { createUser } from '../../helpers/factories';

/** A real MaxMind DB file with documentation networks (test/fixtures/geoip/write-mmdb.ts). */
const t = describeApp({ TRUST_PROXY: 'true', GEOIP_DB: path.join(__dirname, '../../fixtures/geoip/places-test.mmdb') });

const SAFARI_MAC = 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Safari/605.1.15';
const IPHONE = 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1';

/** Signs in from a given browser and address; the visitor keeps both. */
async function device(user: { username: string; password: string }, userAgent: string, ip: string, language = 'en') {
  const visitor = new Visitor(t.app, userAgent, language);
  const get = (url: string) => visitor.agent.get(url).set('User-Agent', userAgent).set('X-Forwarded-For', ip).set('Accept-Language', language);
  const page = await get('/login');
  const res = await visitor.agent.post('/login').set('User-Agent', userAgent).set('X-Forwarded-For', ip).type('form').send({ _csrf: csrfTokenIn(page.text), identifier: user.username, password: user.password });
  expect(res.status).toBe(303);
  return { visitor, get };
}

/** Each row's text, in page order. */
function rows(html: string): string[] {
  return html.split('<li class="session').slice(1).map((row) => row.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' '));
}

/** The first line of each row as a person reads it: its summary. */
function summaries(html: string): string[] {
  return [...html.matchAll(/<summary class="row__summary">([\s\S]*?)<\/summary>/g)].map((m) => (m[1] as string).replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ').trim());
}

describe('Each session as one row', () => {
  it('names browser and system as people know them, with the approximate place, this device first', async () => {
    const user = await createUser(t);
    await device(user, IPHONE, '2001:db8::5');
    const here = await device(user, SAFARI_MAC, '198.51.100.20');
    const page = await here.get('/profile/sessions');
    const [mine, phone] = summaries(page.text);
    expect(mine).toBe('Safari 17.4 on macOS 10.15.7 This device Belgrade, Serbia 198.51.100.20 Last active now');
    expect(phone).toBe('Safari 17.4 on iOS 17.4 iPhone Vienna, Austria 2001:db8::5 Last active now');
    expect(page.text).not.toContain('10_15_7');
    expect(page.text).not.toContain('Unknown');
  });

  it('names the place in the page language where the database has it', async () => {
    const user = await createUser(t, { language: 'de' });
    const here = await device(user, SAFARI_MAC, '198.51.100.21', 'de');
    const page = await here.get('/profile/sessions');
    expect(summaries(page.text)[0]).toContain('Safari 17.4 unter macOS 10.15.7');
    expect(summaries(page.text)[0]).toContain('Belgrad, Serbien');
  });

  it('shows no place for an address the database does not know', async () => {
    const user = await createUser(t);
    const here = await device(user, SAFARI_MAC, '192.0.2.44');
    const page = await here.get('/profile/sessions');
    expect(summaries(page.text)[0]).toBe('Safari 17.4 on macOS 10.15.7 This device 192.0.2.44 Last active now');
    expect(page.text).not.toContain('Approximate place');
  });

  it('asks before signing out another device: the real button waits inside a disclosure that says what happens', async () => {
    const user = await createUser(t);
    await device(user, IPHONE, '198.51.100.22');
    const here = await device(user, SAFARI_MAC, '198.51.100.23');
    const page = await here.get('/profile/sessions');
    const [mine, phone] = rows(page.text);
    expect(mine).not.toContain('Sign out that device');
    expect(phone).toContain('Sign out that device');
    const confirmations = page.text.match(
      /<details class="confirm">\s*<summary class="button button--small button--danger-outline" aria-label="Sign out Safari 17\.4 on iOS 17\.4">Sign out<\/summary>\s*<form method="post" action="\/profile\/sessions\/[0-9a-f]{64}\/revoke" class="confirm__body confirm__body--danger">[\s\S]*?<p>That device is signed out at once and has to sign in again\.<\/p>\s*<button type="submit" class="button button--small button--danger">Sign out that device<\/button>\s*<\/form>\s*<\/details>/g,
    );
    expect(confirmations).toHaveLength(1);
    expect(page.text.match(/action="\/profile\/sessions\/[0-9a-f]{64}\/revoke"/g)).toHaveLength(1);
    expect(page.text).toMatch(/<details class="confirm">\s*<summary[^>]*>Sign out all other sessions<\/summary>\s*<form method="post" action="\/profile\/sessions\/revoke-others"[\s\S]*?Every device but this one is signed out at once\./);
  });
});
