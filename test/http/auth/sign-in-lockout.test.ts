// Strangers guessing from many addresses must not be able to keep the owner out.
import request from 'supertest';
import { describeApp } from '../../helpers/app';
import { Visitor, csrfTokenIn } from '../../helpers/browser-agent';
import { createUser, signedIn } from '../../helpers/factories';
import { linkIn } from '../../helpers/mail-catcher';
import { assert, attest, newCredential } from '../../helpers/webauthn';

const ORIGIN = 'http://localhost:3000';
const NEW_PASSWORD = 'harbour quilt meadow 52';
const t = describeApp({ BASE_URL: ORIGIN, TRUST_PROXY: 'true', SIGNIN_FAILURES_PER_ACCOUNT_AND_IP: '3', SIGNIN_FAILURES_PER_ACCOUNT: '10', SIGNIN_FAILURES_PER_IP: '10' }, { mail: true });

let network = 0;
/** Ten addresses no other test uses: a stranger spreading guesses to stay under the per-address limits. */
const strangerAddresses = () => {
  network += 1;
  return Array.from({ length: 10 }, (_, i) => `198.51.${network}.${i + 1}`);
};

/** The /login form from `ip`, in `visitor`'s browser (its cookies, its device). */
async function signIn(visitor: Visitor, identifier: string, password: string, ip: string) {
  const page = await visitor.agent.get('/login').set('X-Forwarded-For', ip);
  return visitor.agent.post('/login').set('X-Forwarded-For', ip).set('Accept', 'text/html').type('form').send({ _csrf: csrfTokenIn(page.text), identifier, password });
}

/** Wrong app passwords over HTTP Basic, one from each address, until the account-wide limit is used up. */
async function basicGuesses(username: string, addresses = strangerAddresses()) {
  for (const ip of addresses) {
    const res = await request(t.app).get('/api/v1/users/me').set('X-Forwarded-For', ip).auth(username, 'abcd efgh ijkm npqr stuv wxyz');
    expect([401, 429]).toContain(res.status);
  }
}

async function signOut(browser: Visitor) {
  expect((await browser.post('/logout', { _csrf: csrfTokenIn((await browser.get('/profile/account')).text) })).status).toBe(303);
}

async function resetPasswordByEmail(email: string, browser: Visitor, ip: string) {
  // Reading the mail takes the owner a while (the test clock stands still otherwise).
  t.clock.advance(5 * 60_000);
  const ask = await browser.agent.get('/forgot-password').set('X-Forwarded-For', ip);
  await browser.agent.post('/forgot-password').set('X-Forwarded-For', ip).type('form').send({ _csrf: csrfTokenIn(ask.text), email });
  await t.deliverMail();
  const path = new URL(linkIn(t.mail.last(email), `${ORIGIN}/reset-password/`)).pathname;
  const form = await browser.agent.get(path).set('X-Forwarded-For', ip);
  const done = await browser.agent.post(path).set('X-Forwarded-For', ip).type('form').send({ _csrf: csrfTokenIn(form.text), password: NEW_PASSWORD, password_confirm: NEW_PASSWORD });
  expect(done.status).toBe(303);
}

describe('A stranger guessing from many addresses', () => {
  it('holds the account-wide limit against browsers the account has never seen', async () => {
    const owner = await createUser(t);
    await basicGuesses(owner.username);
    const res = await signIn(new Visitor(t.app), owner.username, owner.password, '192.0.2.10');
    expect(res.status).toBe(429);
    expect(Number(res.headers['retry-after'])).toBeGreaterThan(3000);
  });

  it('cannot keep the owner out after a completed password reset: the reset clears the account counters', async () => {
    const owner = await createUser(t);
    await basicGuesses(owner.username);
    await resetPasswordByEmail(owner.email, new Visitor(t.app), '192.0.2.20');
    expect((await signIn(new Visitor(t.app), owner.username, NEW_PASSWORD, '192.0.2.21')).status).toBe(303);
    expect((await signIn(new Visitor(t.app), owner.email, NEW_PASSWORD, '192.0.2.22')).status).toBe(303);
  });

  it('cannot keep out the browser that completed the reset, however often the guessing starts again', async () => {
    const owner = await createUser(t);
    await basicGuesses(owner.username);
    const browser = new Visitor(t.app);
    await resetPasswordByEmail(owner.email, browser, '192.0.2.30');
    await basicGuesses(owner.username);
    expect((await signIn(new Visitor(t.app), owner.username, NEW_PASSWORD, '192.0.2.31')).status).toBe(429);
    const res = await signIn(browser, owner.username, NEW_PASSWORD, '192.0.2.32');
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/');
  });

  it('cannot keep out a browser the owner signed in from before, which still has its own tight limit', async () => {
    const owner = await createUser(t);
    const browser = await signedIn(t, owner);
    await signOut(browser);
    await basicGuesses(owner.username);
    expect((await signIn(new Visitor(t.app), owner.username, owner.password, '192.0.2.40')).status).toBe(429);
    expect((await signIn(browser, owner.username, owner.password, '192.0.2.41')).status).toBe(303);
    await signOut(browser);
    for (let i = 0; i < 3; i++) expect((await signIn(browser, owner.username, 'mistyped password', '192.0.2.41')).status).toBe(422);
    expect((await signIn(browser, owner.username, owner.password, '192.0.2.42')).status).toBe(429);
  });

  it('cannot keep out the owner signing in with a passkey, nor that browser when it then uses the password', async () => {
    const owner = await createUser(t);
    const credential = newCredential();
    const setup = await signedIn(t, owner);
    await setup.get('/profile/security');
    const json = (visitor: Visitor, path: string, body: object = {}) => visitor.agent.post(path).set('X-Forwarded-For', '192.0.2.50').set('Accept', 'application/json').set('X-CSRF-Token', visitor.csrf()).send(body);
    const options = await json(setup, '/profile/security/passkeys/options');
    expect((await json(setup, '/profile/security/passkeys', { response: attest(credential, options.body, ORIGIN) })).status).toBe(200);

    await basicGuesses(owner.username);
    const browser = new Visitor(t.app);
    await browser.get('/login');
    const challenge = await json(browser, '/login/passkey/options');
    expect((await json(browser, '/login/passkey', { response: assert(credential, challenge.body, ORIGIN) })).status).toBe(200);
    await signOut(browser);

    const res = await signIn(browser, owner.username, owner.password, '192.0.2.51');
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/login/2fa');
  });

  it('cannot keep out the owner’s scripts, whose app password proves them', async () => {
    const owner = await createUser(t);
    const { secret } = await t.services.appPasswords.create(owner, { name: 'backup script', scope: 'read' }, { ip: '192.0.2.60', userAgent: 'test', locale: 'en' });
    await basicGuesses(owner.username);
    const res = await request(t.app).get('/api/v1/users/me').set('X-Forwarded-For', '192.0.2.61').auth(owner.username, secret);
    expect(res.status).toBe(200);
    expect(res.body.username).toBe(owner.username);
  });
});

describe('Clients on IPv6', () => {
  it('are counted by their /64 network, so one host cannot pick a fresh address for every guess', async () => {
    const owner = await createUser(t);
    for (const ip of ['2001:db8:5:6::1', '2001:db8:5:6::2', '2001:db8:5:6:ffff:ffff:ffff:fffe']) {
      expect((await signIn(new Visitor(t.app), owner.username, 'a guess', ip)).status).toBe(422);
    }
    expect((await signIn(new Visitor(t.app), owner.username, owner.password, '2001:db8:5:6:abcd::9')).status).toBe(429);
    expect((await signIn(new Visitor(t.app), owner.username, owner.password, '2001:db8:5:7::1')).status).toBe(303);
  });

  it('are limited per /64 network when spraying many accounts', async () => {
    for (let i = 0; i < 10; i++) {
      expect((await signIn(new Visitor(t.app), `nobody-${i}`, 'a guess', `2001:db8:9:9:${i + 1}::1`)).status).toBe(422);
    }
    expect((await signIn(new Visitor(t.app), 'nobody-else', 'a guess', '2001:db8:9:9:77::77')).status).toBe(429);
    expect((await signIn(new Visitor(t.app), 'nobody-else', 'a guess', '2001:db8:9:a::1')).status).toBe(422);
  });
});
