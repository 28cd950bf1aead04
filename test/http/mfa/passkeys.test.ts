import { describeApp } from '../../helpers/app';
import { Visitor, csrfTokenIn } from '../../helpers/browser-agent';
import { createUser, signedIn } from '../../helpers/factories';
import { assert, attest, newCredential, type SoftCredential } from '../../helpers/webauthn';

const ORIGIN = 'http://localhost:3000';
const t = describeApp({ BASE_URL: ORIGIN }, { mail: true });

/** JSON calls as passkeys.js makes them: the page's CSRF token in a header. */
async function json(visitor: Visitor, path: string, body: object = {}) {
  const page = visitor.lastPage.includes('_csrf') ? visitor.lastPage : (await visitor.get('/login')).text;
  return visitor.agent.post(path).set('Accept', 'application/json').set('X-CSRF-Token', csrfTokenIn(page)).send(body);
}

async function register(visitor: Visitor, credential: SoftCredential, name?: string, keepCodes = false) {
  await visitor.get('/profile/security');
  const options = await json(visitor, '/profile/security/passkeys/options');
  expect(options.status).toBe(200);
  expect(options.body.authenticatorSelection).toMatchObject({ residentKey: 'required', userVerification: 'required' });
  const res = await json(visitor, '/profile/security/passkeys', { response: attest(credential, options.body, ORIGIN), name });
  if (res.body.redirect === '/profile/security/recovery-codes' && !keepCodes) {
    const codes = await visitor.get('/profile/security/recovery-codes');
    await visitor.post('/profile/security/recovery-codes/saved', { _csrf: csrfTokenIn(codes.text), saved: 'on' });
  }
  return res;
}

async function passwordless(credential: SoftCredential, tweak: { origin?: string; counter?: number } = {}) {
  const visitor = new Visitor(t.app);
  await visitor.get('/login');
  const options = await json(visitor, '/login/passkey/options');
  const res = await json(visitor, '/login/passkey', { response: assert(credential, options.body, tweak.origin ?? ORIGIN, tweak.counter) });
  return { visitor, res, options: options.body };
}

describe('Passkeys', () => {
  it('are registered from the Security tab, named after the authenticator or numbered, and announced by mail', async () => {
    const user = await createUser(t);
    const visitor = await signedIn(t, user);
    const res = await register(visitor, newCredential(), undefined, true);
    expect(res.status).toBe(200);
    expect(res.body.redirect).toBe('/profile/security/recovery-codes');
    const codes = await visitor.get('/profile/security/recovery-codes');
    expect(codes.text.match(/<li><code>/g)).toHaveLength(10);
    await visitor.post('/profile/security/recovery-codes/saved', { _csrf: csrfTokenIn(codes.text), saved: 'on' });
    const tab = await visitor.get('/profile/security');
    expect(tab.text).toContain('Passkey 1');
    expect((await register(visitor, newCredential(), 'Work laptop')).body.redirect).toBe('/profile/security');
    expect((await visitor.get('/profile/security')).text).toContain('Work laptop');
    expect((await t.repos.users.findById(user.id))?.mfaEnabled).toBe(true);
    await t.deliverMail();
    expect(t.mail.last(user.email).subject).toBe('A passkey was added to your Atrium account');
  });

  it('sign a person in without a password, and the session says so', async () => {
    const user = await createUser(t);
    const credential = newCredential();
    await register(await signedIn(t, user), credential);
    const { visitor, res, options } = await passwordless(credential);
    expect(options.allowCredentials ?? []).toEqual([]);
    expect(options.userVerification).toBe('required');
    expect(res.status).toBe(200);
    expect(res.body.redirect).toBe('/');
    expect((await visitor.get('/')).text).toContain('Hello, Jane!');
    expect((await visitor.get('/profile/sessions')).text).toMatch(/Signed in with\s*<\/dt><dd>Passkey</);
  });

  it('refuse a response made for another origin', async () => {
    const user = await createUser(t);
    const credential = newCredential();
    await register(await signedIn(t, user), credential);
    const { res } = await passwordless(credential, { origin: 'https://evil.example' });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('passkey_failed');
  });

  it('refuse a replayed challenge', async () => {
    const user = await createUser(t);
    const credential = newCredential();
    await register(await signedIn(t, user), credential);
    const visitor = new Visitor(t.app);
    await visitor.get('/login');
    const options = await json(visitor, '/login/passkey/options');
    const response = assert(credential, options.body, ORIGIN);
    expect((await json(visitor, '/login/passkey', { response })).status).toBe(200);
    const other = new Visitor(t.app);
    await other.get('/login');
    await json(other, '/login/passkey/options');
    const replay = await json(other, '/login/passkey', { response });
    expect(replay.status).toBe(400);
  });

  it('refuse a signature counter that goes backwards (a cloned authenticator)', async () => {
    const user = await createUser(t);
    const credential = newCredential();
    await register(await signedIn(t, user), credential);
    expect((await passwordless(credential, { counter: 5 })).res.status).toBe(200);
    expect((await passwordless(credential, { counter: 3 })).res.status).toBe(400);
    expect((await passwordless(credential, { counter: 6 })).res.status).toBe(200);
  });

  it('refuse a challenge older than five minutes', async () => {
    const user = await createUser(t);
    const credential = newCredential();
    await register(await signedIn(t, user), credential);
    const visitor = new Visitor(t.app);
    await visitor.get('/login');
    const options = await json(visitor, '/login/passkey/options');
    t.clock.advance(5 * 60_000 + 1000);
    const res = await json(visitor, '/login/passkey', { response: assert(credential, options.body, ORIGIN) });
    expect(res.status).toBe(400);
    expect(res.body.error.message).toContain('That took too long');
  });

  it('serve as the second step after the password', async () => {
    const user = await createUser(t);
    const credential = newCredential();
    await register(await signedIn(t, user), credential);
    const visitor = new Visitor(t.app);
    const res = await visitor.submit('/login', { identifier: user.username, password: user.password });
    expect(res.headers.location).toBe('/login/2fa');
    await visitor.get('/login/2fa');
    const options = await json(visitor, '/login/2fa/passkey/options');
    expect(options.body.allowCredentials).toHaveLength(1);
    const done = await json(visitor, '/login/2fa/passkey', { response: assert(credential, options.body, ORIGIN) });
    expect(done.body.redirect).toBe('/');
    expect((await visitor.get('/profile/sessions')).text).toContain('Password and passkey');
  });

  it('of someone else cannot be used as the second step', async () => {
    const owner = await createUser(t);
    const theirs = newCredential();
    await register(await signedIn(t, owner), theirs);
    const victim = await createUser(t);
    await register(await signedIn(t, victim), newCredential());
    const visitor = new Visitor(t.app);
    await visitor.submit('/login', { identifier: victim.username, password: victim.password });
    await visitor.get('/login/2fa');
    const options = await json(visitor, '/login/2fa/passkey/options');
    const res = await json(visitor, '/login/2fa/passkey', { response: assert(theirs, options.body, ORIGIN) });
    expect(res.status).toBe(400);
  });

  it('can be renamed and removed, but never the last way in (a password, another passkey or a connected identity)', async () => {
    const user = await createUser(t);
    const visitor = await signedIn(t, user);
    await register(visitor, newCredential());
    const [passkey] = await t.repos.authenticators.listPasskeys(user.id);
    const tab = await visitor.get('/profile/security');
    await visitor.post(`/profile/security/passkeys/${passkey?.id}/rename`, { _csrf: csrfTokenIn(tab.text), name: 'Phone' });
    expect((await visitor.get('/profile/security')).text).toContain('The passkey is now called &#34;Phone&#34;.');
    const empty = await visitor.post(`/profile/security/passkeys/${passkey?.id}/rename`, { _csrf: csrfTokenIn(tab.text), name: '' });
    expect(empty.status).toBe(422);
    const long = await visitor.post(`/profile/security/passkeys/${passkey?.id}/rename`, { _csrf: csrfTokenIn(tab.text), name: `${'Phone '.repeat(10)}X` });
    expect(long.status).toBe(422);
    // The summary links to the field, which is open and keeps what was typed, with its message beside it.
    expect(long.text).toContain('<a href="#field-name">Must be 60 characters or fewer</a>');
    expect(long.text).toMatch(/<details class="passkey__rename" open>/);
    expect(long.text).toContain(`id="field-name" name="name" value="${'Phone '.repeat(10)}X"`);
    expect(long.text).toContain('<p class="field__error" id="field-name-error">Must be 60 characters or fewer</p>');

    await t.deps.db('users').where({ id: user.id }).update({ password_hash: null });
    const refused = await visitor.post(`/profile/security/passkeys/${passkey?.id}/remove`, { _csrf: csrfTokenIn(tab.text) });
    expect(refused.status).toBe(409);
    expect(refused.text).toContain('This is your last way to sign in');
    // An identity at a provider is a way in too.
    await t.repos.identities.insert({ userId: user.id, provider: 'corp', issuer: 'https://idp.example.com', subject: `${user.id}-sub`, email: null, displayName: null, now: t.clock.now() });
    const removed = await visitor.post(`/profile/security/passkeys/${passkey?.id}/remove`, { _csrf: csrfTokenIn(tab.text) });
    expect(removed.headers.location).toBe('/profile/security');
    expect((await t.repos.users.findById(user.id))?.mfaEnabled).toBe(false);
  });

  it('of another account cannot be renamed or removed', async () => {
    const owner = await createUser(t);
    await register(await signedIn(t, owner), newCredential());
    const [passkey] = await t.repos.authenticators.listPasskeys(owner.id);
    const other = await signedIn(t, await createUser(t));
    const tab = await other.get('/profile/security');
    expect((await other.post(`/profile/security/passkeys/${passkey?.id}/rename`, { _csrf: csrfTokenIn(tab.text), name: 'Mine' })).status).toBe(404);
    expect((await other.post(`/profile/security/passkeys/${passkey?.id}/remove`, { _csrf: csrfTokenIn(tab.text) })).status).toBe(404);
    expect(await t.repos.authenticators.listPasskeys(owner.id)).toHaveLength(1);
  });

  it('confirm identity on their own for a step-up', async () => {
    const user = await createUser(t);
    const visitor = await signedIn(t, user);
    const credential = newCredential();
    await register(visitor, credential);
    t.clock.advance(11 * 60_000);
    await visitor.get('/reauth?next=/profile/account');
    const options = await json(visitor, '/reauth/passkey/options');
    const res = await json(visitor, '/reauth/passkey', { response: assert(credential, options.body, ORIGIN), next: '/profile/account' });
    expect(res.body.redirect).toBe('/profile/account');
    expect((await visitor.get('/profile/account')).text).toContain("you won't be asked again");
  });

  it('refuse malformed requests with a clear error', async () => {
    const visitor = new Visitor(t.app);
    await visitor.get('/login');
    await json(visitor, '/login/passkey/options');
    for (const body of [{}, { response: 'x' }, { response: { id: 1 } }, { response: { id: 'a'.repeat(2000), rawId: 'a', type: 'public-key' } }]) {
      const res = await json(visitor, '/login/passkey', body);
      expect([400, 422]).toContain(res.status);
      expect(res.body.error.message).toBeTruthy();
    }
  });
});
