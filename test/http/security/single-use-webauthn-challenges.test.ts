import { describeApp } from '../../helpers/app';
import { Visitor, csrfTokenIn } from '../../helpers/browser-agent';
import { atOnce, countRefused, countStatus } from '../../helpers/concurrency';
import { createUser, signedIn } from '../../helpers/factories';
import { assert, attest, newCredential, type SoftCredential } from '../../helpers/webauthn';

const ORIGIN = 'http://localhost:3000';
const t = describeApp({ BASE_URL: ORIGIN });

const REQUESTS = 5;
/** Many authenticators (security keys without a counter, synced passkeys) always report 0. */
const NO_COUNTER = 0;

/** A JSON call as passkeys.js makes it: the page's CSRF token in a header. */
async function json(visitor: Visitor, path: string, body: object = {}) {
  const page = visitor.lastPage.includes('_csrf') ? visitor.lastPage : (await visitor.get('/login')).text;
  return visitor.agent.post(path).set('Accept', 'application/json').set('X-CSRF-Token', csrfTokenIn(page)).send(body);
}

async function withPasskey(credential: SoftCredential) {
  const user = await createUser(t);
  const visitor = await signedIn(t, user);
  await visitor.get('/profile/security');
  const options = await json(visitor, '/profile/security/passkeys/options');
  const res = await json(visitor, '/profile/security/passkeys', { response: attest(credential, options.body, ORIGIN) });
  expect(res.status).toBe(200);
  return { user, visitor };
}

describe('One passkey response sent several times at once with the same session', () => {
  it('signs in without a password exactly once', async () => {
    const credential = newCredential();
    await withPasskey(credential);
    const visitor = new Visitor(t.app);
    await visitor.get('/login');
    const options = await json(visitor, '/login/passkey/options');
    const response = assert(credential, options.body, ORIGIN, NO_COUNTER);

    const answers = await atOnce(REQUESTS, () => json(visitor, '/login/passkey', { response }));

    expect(countStatus(answers, 200)).toBe(1);
    expect(countRefused(answers)).toBe(REQUESTS - 1);
  });

  it('completes the second step of a sign-in exactly once', async () => {
    const credential = newCredential();
    const { user } = await withPasskey(credential);
    const visitor = new Visitor(t.app);
    expect((await visitor.submit('/login', { identifier: user.username, password: user.password })).headers.location).toBe('/login/2fa');
    await visitor.get('/login/2fa');
    const options = await json(visitor, '/login/2fa/passkey/options');
    const response = assert(credential, options.body, ORIGIN, NO_COUNTER);

    const answers = await atOnce(REQUESTS, () => json(visitor, '/login/2fa/passkey', { response }));

    expect(countStatus(answers, 200)).toBe(1);
    expect(countRefused(answers)).toBe(REQUESTS - 1);
  });

  it('confirms identity for a step-up exactly once', async () => {
    const credential = newCredential();
    const { visitor } = await withPasskey(credential);
    t.clock.advance(11 * 60_000);
    await visitor.get('/reauth?next=/profile/account');
    const options = await json(visitor, '/reauth/passkey/options');
    const response = assert(credential, options.body, ORIGIN, NO_COUNTER);

    const answers = await atOnce(REQUESTS, () => json(visitor, '/reauth/passkey', { response, next: '/profile/account' }));

    expect(countStatus(answers, 200)).toBe(1);
    expect(countRefused(answers)).toBe(REQUESTS - 1);
  });

  it('registers a new passkey exactly once, and the others get a clear error rather than a crash', async () => {
    const user = await createUser(t);
    const visitor = await signedIn(t, user);
    await visitor.get('/profile/security');
    const options = await json(visitor, '/profile/security/passkeys/options');
    const response = attest(newCredential(), options.body, ORIGIN);

    const answers = await atOnce(REQUESTS, () => json(visitor, '/profile/security/passkeys', { response }));

    expect(countStatus(answers, 200)).toBe(1);
    expect(countStatus(answers, 400)).toBe(REQUESTS - 1);
    for (const refused of answers.filter((a) => a.status === 400)) expect(refused.body.error.code).toBe('passkey_failed');
    expect(await t.repos.authenticators.listPasskeys(user.id)).toHaveLength(1);
    expect(await t.deps.db('security_events').where({ user_id: user.id, type: 'passkey_added' })).toHaveLength(1);
  });
});
