// Listing and ending signed-in sessions, and creating, listing and revoking personal
// access tokens over the API, as the Sessions and Tokens tabs do.
import { describeApp } from '../../helpers/app';
import { createUser, signedIn } from '../../helpers/factories';
import { BASE, DAY, UNKNOWN_HANDLE, UNKNOWN_ID, apiHelpers, expectApiHeaders, expectError, iso } from './api-test-helpers';

const t = describeApp({}, { mail: true });
const { api, tokenFor } = apiHelpers(t);

describe('GET and DELETE /users/me/sessions', () => {
  it('lists the devices signed in; DELETE signs one out, as the Sessions tab does', async () => {
    const user = await createUser(t);
    const phone = await signedIn(t, user, 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1');
    const laptop = await signedIn(t, user);
    const secret = await tokenFor(user);
    const res = await api('get', '/users/me/sessions', secret);
    expect(res.status).toBe(200);
    expectApiHeaders(res);
    expect(res.body).toHaveLength(2);
    for (const session of res.body) {
      expect(session).toEqual({
        id: expect.stringMatching(/^[0-9a-f]{64}$/),
        current: false,
        browser: expect.any(String),
        os: expect.any(String),
        device: expect.any(String),
        ip: expect.stringMatching(/127\.0\.0\.1|::1/),
        method: 'password',
        provider: null,
        created_at: iso,
        last_seen_at: iso,
        expires_at: iso,
      });
    }
    const iphone = (res.body as Array<{ id: string; os: string }>).find((s) => s.os.startsWith('iOS'));
    if (!iphone) throw new Error(`no iOS session in ${JSON.stringify(res.body)}`);

    const revoked = await api('delete', `/users/me/sessions/${iphone.id}`, secret);
    expect(revoked.status).toBe(204);
    expect(revoked.text).toBe('');
    expectApiHeaders(revoked);
    expect((await phone.get('/profile/account')).headers.location).toMatch(/^\/login/);
    expect((await laptop.get('/profile/account')).status).toBe(200);
    const after = await api('get', '/users/me/sessions', secret);
    expect((after.body as Array<{ id: string }>).map((s) => s.id)).not.toContain(iphone.id);
    expect((await laptop.get('/profile/sessions')).text).not.toContain(iphone.id);
    // Again: it is gone.
    expectError(await api('delete', `/users/me/sessions/${iphone.id}`, secret), 404, 'not_found');
  });

  it('an unknown, malformed or someone else\'s session id is a 404, never a 500', async () => {
    const user = await createUser(t);
    const other = await createUser(t);
    const otherVisitor = await signedIn(t, other);
    const [otherSession] = await t.services.sessions.list(other.id, 'none');
    const secret = await tokenFor(user);
    const unknown = await api('delete', `/users/me/sessions/${UNKNOWN_HANDLE}`, secret);
    expectError(unknown, 404, 'not_found');
    expect(unknown.body.error.message).toBe('There is no such session on your account. It may have ended already.');
    expectApiHeaders(unknown);
    expectError(await api('delete', '/users/me/sessions/not-a-handle', secret), 404, 'not_found');
    expectError(await api('delete', `/users/me/sessions/${UNKNOWN_ID}`, secret), 404, 'not_found');
    expectError(await api('delete', '/users/me/sessions/%E0%A4%A', secret), 400, 'bad_url');
    expectError(await api('delete', `/users/me/sessions/${otherSession?.id}`, secret), 404, 'not_found');
    expect((await otherVisitor.get('/profile/account')).status).toBe(200);
  });

  it('with the session cookie: the calling session comes first and cannot be deleted (409)', async () => {
    const user = await createUser(t);
    const visitor = await signedIn(t, user);
    await signedIn(t, user);
    const list = await visitor.agent.get(`${BASE}/users/me/sessions`).set('Accept', 'application/json');
    expect(list.status).toBe(200);
    expect(list.body.map((s: { current: boolean }) => s.current)).toEqual([true, false]);
    await visitor.get('/profile/sessions');
    const self = await visitor.agent.delete(`${BASE}/users/me/sessions/${list.body[0].id}`).set('Accept', 'application/json').set('X-CSRF-Token', visitor.csrf());
    expectError(self, 409, 'current_session');
    expect((await visitor.get('/profile/account')).status).toBe(200);
  });
});

describe('GET, POST and DELETE /users/me/tokens', () => {
  const tokenShape = {
    id: expect.stringMatching(/^[0-9a-f-]{36}$/),
    name: expect.any(String),
    masked: expect.stringMatching(/^pat_…[0-9A-Za-z]{4}$/),
    scope: expect.stringMatching(/^(read|write)$/),
    allowed_ips: null,
    created_at: iso,
    expires_at: iso,
    expired: false,
    last_used_at: null,
    last_used_ip: null,
  };

  it('POST creates a token (201, secret once), it works with its scope, and the tokens page lists it', async () => {
    const user = await createUser(t);
    const visitor = await signedIn(t, user);
    const secret = await tokenFor(user, 'write', 'Creator');
    t.clock.advance(60_000);
    const now = t.clock.now().getTime();
    const res = await api('post', '/users/me/tokens', secret).send({ name: 'Deploy bot', scope: 'read', expires_in_days: 90, allowed_ips: ['127.0.0.1', '::1', '10.0.0.7/8'], current_password: user.password });
    expect(res.status).toBe(201);
    expectApiHeaders(res);
    expect(res.body).toEqual({ ...tokenShape, name: 'Deploy bot', scope: 'read', allowed_ips: ['127.0.0.1', '::1', '10.0.0.0/8'], token: expect.stringMatching(/^pat_[0-9A-Za-z]{36}$/) });
    expect(res.body.masked).toBe(`pat_…${res.body.token.slice(-4)}`);
    expect(new Date(res.body.expires_at).getTime()).toBe(now + 90 * DAY);
    expect(JSON.stringify(await t.deps.db('api_tokens').where({ user_id: user.id }))).not.toContain(res.body.token.slice(4));

    const page = await visitor.get('/profile/tokens');
    expect(page.text).toContain('<h3 class="break">Deploy bot</h3>');
    expect(page.text).toContain(res.body.masked);
    expect(page.text).not.toContain(res.body.token);
    await t.deliverMail();
    expect(t.mail.to(user.email).map((m) => m.subject)).toContain('A personal access token was created for your Atrium account');

    const created = res.body.token as string;
    expect((await api('get', '/users/me', created)).status).toBe(200);
    expectError(await api('put', '/users/me', created).send({ first_name: 'A', last_name: 'B' }), 403, 'insufficient_scope');

    const list = await api('get', '/users/me/tokens', created);
    expect(list.status).toBe(200);
    expect(list.body.map((tk: { name: string }) => tk.name)).toEqual(['Deploy bot', 'Creator']);
    expect(list.body[0]).toEqual({ ...tokenShape, id: res.body.id, name: 'Deploy bot', scope: 'read', allowed_ips: ['127.0.0.1', '::1', '10.0.0.0/8'], last_used_at: iso, last_used_ip: expect.stringMatching(/127\.0\.0\.1|::1/) });
    expect(list.body[1]).toEqual({ ...tokenShape, name: 'Creator', scope: 'write', last_used_at: iso, last_used_ip: expect.stringMatching(/127\.0\.0\.1|::1/) });
    expect(JSON.stringify(list.body)).not.toContain(created);
    expect(JSON.stringify(list.body)).not.toContain(secret);
  });

  it('POST accepts an expiry date instead of a number of days', async () => {
    const user = await createUser(t);
    const date = new Date(t.clock.now().getTime() + 60 * DAY).toISOString().slice(0, 10);
    const res = await api('post', '/users/me/tokens', await tokenFor(user)).send({ name: 'Dated', scope: 'write', expires_on: date, current_password: user.password });
    expect(res.status).toBe(201);
    expect(res.body.expires_at).toBe(`${date}T23:59:59.000Z`);
  });

  it('POST refuses bad input field by field, with the form\'s messages', async () => {
    const user = await createUser(t);
    const secret = await tokenFor(user);
    const post = (body: object) => api('post', '/users/me/tokens', secret).send({ current_password: user.password, ...body });
    const ok = { name: 'x', scope: 'read', expires_in_days: 30 };
    const day = (offset: number) => new Date(t.clock.now().getTime() + offset * DAY).toISOString().slice(0, 10);
    expectError(await post({}), 422, 'validation_failed', { name: 'Enter a name for the token.', scope: 'Choose read only or read and write.', expires_in_days: 'Choose when the token expires.' });
    expectError(await post({ ...ok, name: 42 }), 422, 'validation_failed', { name: 'Enter this as text' });
    expectError(await post({ ...ok, name: 'x'.repeat(61) }), 422, 'validation_failed', { name: 'Must be 60 characters or fewer' });
    expectError(await post({ ...ok, scope: 'owner' }), 422, 'validation_failed', { scope: 'Choose read only or read and write.' });
    // The admin scope exists, but not for this person.
    expectError(await post({ ...ok, scope: 'admin' }), 422, 'validation_failed', { scope: 'Only administrators can create tokens with the Administration scope.' });
    expectError(await post({ ...ok, expires_in_days: 9999 }), 422, 'validation_failed', { expires_in_days: 'Choose when the token expires.' });
    expectError(await post({ ...ok, expires_in_days: '30' }), 422, 'validation_failed', { expires_in_days: 'Choose when the token expires.' });
    expectError(await post({ name: 'x', scope: 'read' }), 422, 'validation_failed', { expires_in_days: 'Choose when the token expires.' });
    expectError(await post({ name: 'x', scope: 'read', expires_on: '31/12/2027' }), 422, 'validation_failed', { expires_on: 'Enter the expiry date as a date, such as 2027-03-31.' });
    expectError(await post({ name: 'x', scope: 'read', expires_on: 20271231 }), 422, 'validation_failed', { expires_on: 'Enter the expiry date as a date, such as 2027-03-31.' });
    expectError(await post({ name: 'x', scope: 'read', expires_on: day(-1) }), 422, 'validation_failed', { expires_on: 'The expiry date must be in the future.' });
    expectError(await post({ name: 'x', scope: 'read', expires_on: day(400) }), 422, 'validation_failed', { expires_on: 'A token can be valid for at most one year.' });
    expectError(await post({ ...ok, allowed_ips: '10.0.0.1' }), 422, 'validation_failed', { allowed_ips: 'Allowed addresses must be a list of IP addresses or CIDR ranges.' });
    expectError(await post({ ...ok, allowed_ips: [42] }), 422, 'validation_failed', { allowed_ips: 'Allowed addresses must be a list of IP addresses or CIDR ranges.' });
    const hostileIp = await post({ ...ok, allowed_ips: ['10.0.0.1', '<img src=x>'] });
    expectError(hostileIp, 422, 'validation_failed', { allowed_ips: '"<img" is not an IP address or CIDR range.' });
    expectError(await post({ ...ok, allowed_ips: ['10.0.0.0/33'] }), 422, 'validation_failed', { allowed_ips: /is not an IP address or CIDR range\.$/ });
    expect(await t.services.apiTokens.list(user)).toHaveLength(1);
  });

  it('POST stores a hostile name as text: returned as sent, escaped on the tokens page', async () => {
    const user = await createUser(t);
    const visitor = await signedIn(t, user);
    const hostile = '<script>alert(1)</script>';
    const res = await api('post', '/users/me/tokens', await tokenFor(user)).send({ name: hostile, scope: 'read', expires_in_days: 7, current_password: user.password });
    expect(res.status).toBe(201);
    expect(res.body.name).toBe(hostile);
    const page = await visitor.get('/profile/tokens');
    expect(page.text).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(page.text).not.toContain(hostile);
  });

  it('DELETE revokes: 204, the token stops working and the tokens page no longer lists it', async () => {
    const user = await createUser(t);
    const visitor = await signedIn(t, user);
    const admin = await tokenFor(user, 'write', 'Admin script');
    const doomed = await tokenFor(user, 'read', 'Doomed script');
    const id = (await t.services.apiTokens.list(user)).find((tk) => tk.name === 'Doomed script')?.id as string;
    expect((await visitor.get('/profile/tokens')).text).toContain('Doomed script');
    const res = await api('delete', `/users/me/tokens/${id}`, admin);
    expect(res.status).toBe(204);
    expect(res.text).toBe('');
    expectApiHeaders(res);
    expectError(await api('get', '/users/me', doomed), 401, 'invalid_credentials');
    const page = await visitor.get('/profile/tokens');
    expect(page.text).not.toContain('Doomed script');
    expect(page.text).toContain('Admin script');
    // A token can revoke itself; it stops working at once.
    const adminId = (await t.services.apiTokens.list(user))[0]?.id as string;
    expect((await api('delete', `/users/me/tokens/${adminId}`, admin)).status).toBe(204);
    expectError(await api('get', '/users/me', admin), 401, 'invalid_credentials');
  });

  it('DELETE of an unknown, malformed or someone else\'s token id is a 404, never a 500', async () => {
    const user = await createUser(t);
    const other = await createUser(t);
    const othersSecret = await tokenFor(other, 'read', 'Not yours');
    const othersId = (await t.services.apiTokens.list(other))[0]?.id as string;
    const secret = await tokenFor(user);
    const unknown = await api('delete', `/users/me/tokens/${UNKNOWN_ID}`, secret);
    expectError(unknown, 404, 'not_found');
    expect(unknown.body.error.message).toBe('There is no such token.');
    expectApiHeaders(unknown);
    expectError(await api('delete', '/users/me/tokens/not-a-uuid', secret), 404, 'not_found');
    expectError(await api('delete', `/users/me/tokens/${'9'.repeat(40)}`, secret), 404, 'not_found');
    expectError(await api('delete', `/users/me/tokens/${othersId}`, secret), 404, 'not_found');
    expect((await api('get', '/users/me', othersSecret)).status).toBe(200);
  });
});
