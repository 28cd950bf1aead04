import request from 'supertest';
import { describeApp, startTestApp } from '../../helpers/app';
import { csrfTokenIn, type Visitor } from '../../helpers/browser-agent';
import { createUser, signedIn } from '../../helpers/factories';

const t = describeApp({}, { mail: true });

const DAY = 86_400_000;
const MINUTE = 60_000;

/** Creates a token through the form and returns its secret as the page shows it, once. */
async function createToken(visitor: Visitor, fields: Record<string, string>): Promise<{ secret: string; page: string }> {
  const res = await visitor.submit('/profile/tokens', { name: 'Backup script', scope: 'read', expires: '30', ...fields });
  expect(res.status).toBe(303);
  expect(res.headers.location).toBe('/profile/tokens');
  const page = await visitor.get('/profile/tokens');
  const secret = /<code id="new-secret">(pat_[0-9A-Za-z]+)<\/code>/.exec(page.text)?.[1];
  if (!secret) throw new Error('No new secret on the page');
  return { secret, page: page.text };
}

const api = (path: string, secret: string) => request(t.app).get(path).set('Authorization', `Bearer ${secret}`).set('User-Agent', 'backup-script/1.2');
const apiPut = (path: string, secret: string, body: object) => request(t.app).put(path).set('Authorization', `Bearer ${secret}`).send(body);

describe('Personal access tokens', () => {
  it('are reached from the header menu and the profile tabs', async () => {
    const visitor = await signedIn(t, await createUser(t));
    const page = await visitor.get('/profile/account');
    expect(page.text).toContain('<a href="/profile/tokens">Personal access tokens</a>');
    expect(page.text).toMatch(/href="\/profile\/tokens">(<svg[^>]*>.*?<\/svg>)?<span>Access tokens<\/span><\/a>/);
    const tab = await visitor.get('/profile/tokens');
    expect(tab.status).toBe(200);
    expect(tab.text).toContain('You have no tokens.');
  });

  it('lifecycle: created once, used, last use recorded, read scope refused on writes, revoked', async () => {
    const user = await createUser(t);
    const visitor = await signedIn(t, user);
    const { secret, page } = await createToken(visitor, {});
    expect(secret).toMatch(/^pat_[0-9A-Za-z]{36}$/);
    expect(page).toContain('it will not be shown again');
    expect(page).toContain(`pat_…${secret.slice(-4)}`);
    // Shown once: the next view has only the masked form.
    const again = await visitor.get('/profile/tokens');
    expect(again.text).not.toContain(secret);
    expect(again.text).toContain('Never used');
    // Only a digest is stored.
    const rows = await t.deps.db('api_tokens').where({ user_id: user.id });
    expect(JSON.stringify(rows)).not.toContain(secret.slice(4));
    await t.deliverMail();
    expect(t.mail.last(user.email).subject).toBe('A personal access token was created for your Atrium account');

    t.clock.advance(5 * MINUTE);
    const me = await api('/api/v1/users/me', secret);
    expect(me.status).toBe(200);
    expect(me.body.username).toBe(user.username);
    expect(me.headers['cache-control']).toBe('no-store');
    const listed = await visitor.get('/profile/tokens');
    expect(listed.text).not.toContain('Never used');
    expect(listed.text).toContain('backup-script/1.2');
    expect(listed.text).toMatch(/127\.0\.0\.1|::1/);

    const write = await apiPut('/api/v1/users/me', secret, { first_name: 'Ann', last_name: 'Other' });
    expect(write.status).toBe(403);
    expect(write.body.error.code).toBe('insufficient_scope');

    const id = (await t.services.apiTokens.list(user))[0]?.id as string;
    const revoke = await visitor.post(`/profile/tokens/${id}/revoke`, { _csrf: visitor.csrf() });
    expect(revoke.status).toBe(303);
    expect((await visitor.get('/profile/tokens')).text).toContain('The token was revoked. It no longer works.');
    const after = await api('/api/v1/users/me', secret);
    expect(after.status).toBe(401);
    expect(after.body.error.code).toBe('invalid_credentials');
  });

  it('write scope can change the profile, as the form does', async () => {
    const user = await createUser(t);
    const visitor = await signedIn(t, user);
    const { secret } = await createToken(visitor, { scope: 'write' });
    const res = await apiPut('/api/v1/users/me', secret, { first_name: 'Ann', last_name: 'Other' });
    expect(res.status).toBe(200);
    expect(res.body.first_name).toBe('Ann');
    expect((await t.repos.users.findById(user.id))?.firstName).toBe('Ann');
  });

  it('expires with the clock, is shown as expired, and a reminder is mailed a week before', async () => {
    const user = await createUser(t);
    const visitor = await signedIn(t, user);
    const { secret } = await createToken(visitor, { expires: '7' });
    expect(await t.services.apiTokens.remindExpiring()).toBe(1);
    expect(await t.services.apiTokens.remindExpiring()).toBe(0);
    await t.deliverMail();
    const reminder = t.mail.to(user.email).find((m) => m.subject === 'A personal access token of your Atrium account expires soon');
    if (!reminder) throw new Error('no reminder');
    expect(reminder.text).toContain('"Backup script"');
    expect(reminder.text).toContain(`${t.config.baseUrl.origin}/profile/tokens`);

    expect((await api('/api/v1/users/me', secret)).status).toBe(200);
    t.clock.advance(7 * DAY + MINUTE);
    const expired = await api('/api/v1/users/me', secret);
    expect(expired.status).toBe(401);
    expect(expired.body.error).toEqual({ code: 'token_expired', message: 'This token has expired.' });
    // A week later the browser session has ended too: sign in again to look.
    const page = await (await signedIn(t, user)).get('/profile/tokens');
    expect(page.text).toContain('badge--error">Expired');
  });

  it('expiry on a chosen date: tomorrow to a year ahead, and nothing else', async () => {
    const visitor = await signedIn(t, await createUser(t));
    const day = (offset: number) => new Date(t.clock.now().getTime() + offset * DAY).toISOString().slice(0, 10);
    const cases: Array<[string, string]> = [
      ['', 'Enter the expiry date as a date, such as 2027-03-31.'],
      ['31/12/2027', 'Enter the expiry date as a date, such as 2027-03-31.'],
      [day(-1), 'The expiry date must be in the future.'],
      [day(400), 'A token can be valid for at most one year.'],
    ];
    for (const [date, message] of cases) {
      const res = await visitor.submit('/profile/tokens', { name: 'Dated', scope: 'read', expires: 'custom', expires_on: date });
      expect(res.status).toBe(422);
      expect(res.text).toContain(message);
      expect(res.text).toContain('value="Dated"');
    }
    const ok = await visitor.submit('/profile/tokens', { name: 'Dated', scope: 'read', expires: 'custom', expires_on: day(60) });
    expect(ok.status).toBe(303);
  });

  it('regenerate keeps name, scope and allow-list; the old secret stops working at once', async () => {
    const user = await createUser(t);
    const visitor = await signedIn(t, user);
    const { secret: first } = await createToken(visitor, { allowed_ips: '127.0.0.1, ::1, 10.0.0.0/8' });
    const [token] = await t.services.apiTokens.list(user);
    const res = await visitor.post(`/profile/tokens/${token?.id}/regenerate`, { _csrf: visitor.csrf() });
    expect(res.status).toBe(303);
    const page = await visitor.get('/profile/tokens');
    const second = /<code id="new-secret">(pat_[0-9A-Za-z]+)<\/code>/.exec(page.text)?.[1] as string;
    expect(second).toBeDefined();
    expect(second).not.toBe(first);
    expect((await api('/api/v1/users/me', first)).status).toBe(401);
    expect((await api('/api/v1/users/me', second)).status).toBe(200);
    const [after] = await t.services.apiTokens.list(user);
    expect(after).toMatchObject({ id: token?.id, name: 'Backup script', scope: 'read', allowedIps: ['127.0.0.1', '::1', '10.0.0.0/8'] });
  });

  it('needs a recent sign-in to create or regenerate, and keeps the form filled in meanwhile', async () => {
    const visitor = await signedIn(t, await createUser(t));
    t.clock.advance(11 * MINUTE);
    const res = await visitor.submit('/profile/tokens', { name: 'Deploy', scope: 'write', expires: '90' });
    expect(res.headers.location).toBe('/reauth?next=%2Fprofile%2Ftokens');
  });

  it('refuses bad input with messages: missing, overlong, wrong type, hostile', async () => {
    const visitor = await signedIn(t, await createUser(t));
    const page = await visitor.get('/profile/tokens');
    const csrf = csrfTokenIn(page.text);
    const post = (fields: Record<string, string | string[]>) => visitor.post('/profile/tokens', { _csrf: csrf, ...fields });
    const missing = await post({});
    expect(missing.status).toBe(422);
    expect(missing.text).toContain('Enter a name for the token.');
    expect(missing.text).toContain('Choose read only or read and write.');
    expect((await post({ name: 'x'.repeat(61), scope: 'read', expires: '30' })).text).toContain('Must be 60 characters or fewer');
    expect((await post({ name: ['a', 'b'], scope: 'read', expires: '30' })).status).toBe(422);
    expect((await post({ name: 'x', scope: 'owner', expires: '30' })).text).toContain('Choose read only or read and write.');
    // The admin scope exists, but not for this person.
    expect((await post({ name: 'x', scope: 'admin', expires: '30' })).text).toContain('Only administrators can create tokens with the Administration scope.');
    expect((await post({ name: 'x', scope: 'read', expires: '9999' })).text).toContain('Choose when the token expires.');
    const hostile = await post({ name: '<script>alert(1)</script>', scope: 'read', expires: '30', allowed_ips: '10.0.0.1, <img src=x>, 300.1.1.1' });
    expect(hostile.status).toBe(422);
    expect(hostile.text).toContain('&#34;&lt;img&#34; is not an IP address or CIDR range.');
    expect(hostile.text).not.toContain('<script>alert(1)</script>');
    expect((await post({ name: 'x', scope: 'read', expires: '30', allowed_ips: '10.0.0.0/33' })).text).toContain('is not an IP address or CIDR range.');
    const unknown = await visitor.post('/profile/tokens/not-a-token/revoke', { _csrf: csrf });
    expect(unknown.status).toBe(404);
    const other = await visitor.post('/profile/tokens/00000000-0000-4000-8000-000000000000/revoke', { _csrf: csrf });
    expect(other.status).toBe(404);
    expect(other.text).toContain('There is no such token.');
  });
});

describe('The IP allow-list', () => {
  it('is shown normalized; requests from outside it are refused and recorded', async () => {
    const user = await createUser(t);
    const visitor = await signedIn(t, user);
    const { secret, page } = await createToken(visitor, { allowed_ips: '192.0.2.77/24\n2001:DB8:0:0::1' });
    expect(page).toContain('192.0.2.0/24, 2001:db8::1');
    const refused = await api('/api/v1/users/me', secret);
    expect(refused.status).toBe(403);
    expect(refused.body.error.code).toBe('ip_not_allowed');
    const events = await t.deps.db('security_events').where({ user_id: user.id, type: 'token_refused_ip' });
    expect(events).toHaveLength(1);
  });

  it('allows 127.0.0.1 when listed', async () => {
    const visitor = await signedIn(t, await createUser(t));
    const { secret } = await createToken(visitor, { allowed_ips: '127.0.0.0/8 ::1 ::ffff:127.0.0.1' });
    expect((await api('/api/v1/users/me', secret)).status).toBe(200);
  });

  it('ignores X-Forwarded-For unless TRUST_PROXY is set', async () => {
    const visitor = await signedIn(t, await createUser(t));
    const { secret } = await createToken(visitor, { allowed_ips: '203.0.113.9' });
    const spoofed = await api('/api/v1/users/me', secret).set('X-Forwarded-For', '203.0.113.9');
    expect(spoofed.status).toBe(403);

    const proxied = await startTestApp({ TRUST_PROXY: 'loopback' });
    try {
      const owner = await createUser(proxied);
      const behindProxy = await signedIn(proxied, owner);
      const res = await behindProxy.submit('/profile/tokens', { name: 'CI', scope: 'read', expires: '7', allowed_ips: '203.0.113.9' });
      expect(res.status).toBe(303);
      const secret2 = /<code id="new-secret">(pat_[0-9A-Za-z]+)<\/code>/.exec((await behindProxy.get('/profile/tokens')).text)?.[1] as string;
      const from = (ip: string) => request(proxied.app).get('/api/v1/users/me').set('Authorization', `Bearer ${secret2}`).set('X-Forwarded-For', ip);
      expect((await from('203.0.113.9')).status).toBe(200);
      expect((await from('198.51.100.1')).status).toBe(403);
    } finally {
      await proxied.close();
    }
  });
});
