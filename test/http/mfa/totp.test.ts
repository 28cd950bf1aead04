import { describeApp } from '../../helpers/app';
import { Visitor, csrfTokenIn } from '../../helpers/browser-agent';
import { createUser, signedIn } from '../../helpers/factories';
import { linkIn, type CaughtMail } from '../../helpers/mail-catcher';
import { secretOnPage, totpAt } from '../../helpers/totp';
import { OPERATOR_CONTEXT } from '../../../src/features/admin/actor-context';

const t = describeApp({}, { mail: true });

const STEP = 30_000;

/** Turns the authenticator app on through the pages; returns the secret and the recovery codes shown. */
async function enrol(visitor: Visitor) {
  const setup = await visitor.get('/profile/security/totp');
  expect(setup.status).toBe(200);
  expect(setup.text).toMatch(/<svg[^>]*viewBox/);
  const secret = secretOnPage(setup.text);
  const res = await visitor.post('/profile/security/totp', { _csrf: csrfTokenIn(setup.text), code: totpAt(secret, t.clock.now()), sign_out_others: 'on' });
  expect(res.headers.location).toBe('/profile/security/recovery-codes');
  const page = await visitor.get('/profile/security/recovery-codes');
  const codes = [...page.text.matchAll(/<li><code>([0-9a-z]{5}-[0-9a-z]{5})<\/code><\/li>/g)].map((m) => m[1] as string);
  await visitor.post('/profile/security/recovery-codes/saved', { _csrf: csrfTokenIn(page.text), saved: 'on' });
  t.clock.advance(STEP);
  return { secret, codes };
}

async function passwordStep(user: { username: string; password: string }) {
  const visitor = new Visitor(t.app);
  const res = await visitor.submit('/login', { identifier: user.username, password: user.password });
  return { visitor, res };
}

describe('Setting up an authenticator app', () => {
  it('shows a QR code and the key, turns on with a current code, shows ten recovery codes once, and tells the owner', async () => {
    const user = await createUser(t);
    const visitor = await signedIn(t, user);
    const setup = await visitor.get('/profile/security/totp');
    expect(setup.text).toMatch(/id="totp-secret">([A-Z2-7]{4} ){7}[A-Z2-7]{4}</);
    const secret = secretOnPage(setup.text);
    expect(secret).toHaveLength(32);

    const wrong = await visitor.post('/profile/security/totp', { _csrf: csrfTokenIn(setup.text), code: '000000' });
    expect(wrong.status).toBe(422);
    expect(wrong.text).toContain('That code is not right');
    expect(secretOnPage(wrong.text)).toBe(secret);

    await visitor.post('/profile/security/totp', { _csrf: csrfTokenIn(wrong.text), code: totpAt(secret, t.clock.now()) });
    const page = await visitor.get('/profile/security/recovery-codes');
    const codes = [...page.text.matchAll(/<li><code>([0-9a-z]{5}-[0-9a-z]{5})<\/code><\/li>/g)].map((m) => m[1]);
    expect(codes).toHaveLength(10);
    const file = await visitor.get('/profile/security/recovery-codes.txt');
    expect(file.headers['content-disposition']).toMatch(/attachment; filename="atrium-recovery-codes.txt"/);
    for (const code of codes) expect(file.text).toContain(code as string);

    // Not confirmed yet: the Security tab keeps showing the codes.
    expect((await visitor.get('/profile/security')).headers.location).toBe('/profile/security/recovery-codes');
    const unconfirmed = await visitor.post('/profile/security/recovery-codes/saved', { _csrf: csrfTokenIn(page.text) });
    expect(unconfirmed.status).toBe(422);
    expect(unconfirmed.text).toContain('Confirm that you saved your recovery codes');
    await visitor.post('/profile/security/recovery-codes/saved', { _csrf: csrfTokenIn(page.text), saved: 'on' });
    const tab = await visitor.get('/profile/security');
    expect(tab.text).toContain('On since');
    expect(tab.text).toContain('10 of 10 codes left');
    expect((await visitor.get('/profile/security/recovery-codes')).headers.location).toBe('/profile/security');

    const stored = await t.deps.db('authenticators').where({ user_id: user.id, type: 'totp' }).first();
    expect(JSON.stringify(stored.data)).not.toContain(secret);
    const codeSet = await t.deps.db('authenticators').where({ user_id: user.id, type: 'recovery_codes' }).first();
    const storedCodes = await t.deps.db('recovery_codes').where({ set_id: codeSet.id });
    expect(storedCodes).toHaveLength(10);
    for (const row of storedCodes) expect(row.code_hash).toMatch(/^\$2[aby]\$/);
    for (const code of codes) expect(JSON.stringify([codeSet.data, storedCodes])).not.toContain(String(code).replace('-', ''));
    expect((await t.deps.db('security_events').where({ user_id: user.id, type: 'mfa_enabled' })).length).toBe(1);
    await t.deliverMail();
    expect(t.mail.last(user.email).subject).toBe('Two-step verification is on for your Atrium account');
  });

  it('needs a recent sign-in', async () => {
    const visitor = await signedIn(t, await createUser(t));
    t.clock.advance(11 * 60_000);
    expect((await visitor.get('/profile/security/totp')).headers.location).toBe('/reauth?next=%2Fprofile%2Fsecurity%2Ftotp');
  });
});

describe('Signing in with two-step verification', () => {
  it('asks for a code after the password; only then starts the session, with a new id', async () => {
    const user = await createUser(t);
    const { secret } = await enrol(await signedIn(t, user));
    const { visitor, res } = await passwordStep(user);
    expect(res.headers.location).toBe('/login/2fa');
    const halfway = /sid=([^;]+)/.exec(String(res.headers['set-cookie']))?.[1];
    expect((await visitor.get('/profile/account')).headers.location).toMatch(/^\/login/);
    const prompt = await visitor.get('/login/2fa');
    expect(prompt.text).toContain('autocomplete="one-time-code"');
    const done = await visitor.post('/login/2fa', { _csrf: csrfTokenIn(prompt.text), code: totpAt(secret, t.clock.now()) });
    expect(done.headers.location).toBe('/');
    expect(/sid=([^;]+)/.exec(String(done.headers['set-cookie']))?.[1]).not.toBe(halfway);
    expect((await visitor.get('/')).text).toContain('Hello, Jane!');
    expect((await visitor.get('/profile/sessions')).text).toContain('Password and authenticator code');
  });

  it('accepts a code once: a replay is refused', async () => {
    const user = await createUser(t);
    const { secret } = await enrol(await signedIn(t, user));
    const code = totpAt(secret, t.clock.now());
    const first = await passwordStep(user);
    const page1 = await first.visitor.get('/login/2fa');
    expect((await first.visitor.post('/login/2fa', { _csrf: csrfTokenIn(page1.text), code })).status).toBe(303);
    const second = await passwordStep(user);
    const page2 = await second.visitor.get('/login/2fa');
    const replay = await second.visitor.post('/login/2fa', { _csrf: csrfTokenIn(page2.text), code });
    expect(replay.status).toBe(422);
    expect(replay.text).toContain('or it has been used already');
  });

  it('refuses a wrong code and the previous step', async () => {
    const user = await createUser(t);
    const { secret } = await enrol(await signedIn(t, user));
    const { visitor } = await passwordStep(user);
    const page = await visitor.get('/login/2fa');
    expect((await visitor.post('/login/2fa', { _csrf: csrfTokenIn(page.text), code: '123456' })).status).toBe(422);
    expect((await visitor.post('/login/2fa', { _csrf: csrfTokenIn(page.text), code: totpAt(secret, t.clock.now(), -1) })).status).toBe(422);
    expect((await visitor.post('/login/2fa', { _csrf: csrfTokenIn(page.text), code: 'abc' })).status).toBe(422);
    expect((await visitor.post('/login/2fa', { _csrf: csrfTokenIn(page.text), code: totpAt(secret, t.clock.now()) })).status).toBe(303);
  });

  it('limits attempts per account', async () => {
    const user = await createUser(t);
    await enrol(await signedIn(t, user));
    const { visitor } = await passwordStep(user);
    const page = await visitor.get('/login/2fa');
    const statuses = [];
    for (let i = 0; i < 11; i++) statuses.push((await visitor.post('/login/2fa', { _csrf: csrfTokenIn(page.text), code: String(100000 + i) })).status);
    // Ten checks per quarter hour, the enrolment's included.
    const firstRefusal = statuses.indexOf(429);
    expect(firstRefusal).toBe(9);
    expect(statuses.slice(0, firstRefusal).every((s) => s === 422)).toBe(true);
  });

  it('gives up on a half-finished sign-in after five minutes', async () => {
    const user = await createUser(t);
    const { secret } = await enrol(await signedIn(t, user));
    const { visitor } = await passwordStep(user);
    const page = await visitor.get('/login/2fa');
    t.clock.advance(5 * 60_000 + 1000);
    const res = await visitor.post('/login/2fa', { _csrf: csrfTokenIn(page.text), code: totpAt(secret, t.clock.now()) });
    expect(res.headers.location).toBe('/login');
    expect((await visitor.get('/login')).text).toContain('That took too long. Please sign in again.');
  });

  it('lets a recovery code in once, says how many are left, and never after a regeneration', async () => {
    const user = await createUser(t);
    const owner = await signedIn(t, user);
    const { codes } = await enrol(owner);
    const { visitor } = await passwordStep(user);
    const page = await visitor.get('/login/2fa?method=recovery');
    expect(page.text).toContain('name="recovery_code"');
    const res = await visitor.post('/login/2fa', { _csrf: csrfTokenIn(page.text), recovery_code: (codes[0] as string).toUpperCase() });
    expect(res.status).toBe(303);
    expect((await visitor.get(res.headers.location as string)).text).toContain('You signed in with a recovery code. 9 codes are left');
    expect((await visitor.get('/profile/sessions')).text).toContain('Password and recovery code');

    const again = await passwordStep(user);
    const page2 = await again.visitor.get('/login/2fa?method=recovery');
    expect((await again.visitor.post('/login/2fa', { _csrf: csrfTokenIn(page2.text), recovery_code: codes[0] as string })).status).toBe(422);

    const tab = await visitor.get('/profile/security');
    expect(tab.text).toContain('9 of 10 codes left');
    await visitor.post('/profile/security/recovery-codes', { _csrf: csrfTokenIn(tab.text) });
    const third = await passwordStep(user);
    const page3 = await third.visitor.get('/login/2fa?method=recovery');
    const old = await third.visitor.post('/login/2fa', { _csrf: csrfTokenIn(page3.text), recovery_code: codes[1] as string });
    expect(old.status).toBe(422);
    expect(old.text).toContain('That recovery code is not right');
  });

  it('is not bypassed by a password reset', async () => {
    const user = await createUser(t);
    await enrol(await signedIn(t, user));
    await t.services.passwordReset.requestReset({ email: user.email }, { ip: '192.0.2.1', userAgent: '', locale: 'en' });
    await t.deliverMail();
    const resetMail = t.mail.to(user.email).find((m) => m.subject === 'Reset your Atrium password');
    const link = new URL(linkIn(resetMail as CaughtMail, 'http://localhost:3000/reset-password/')).pathname;
    await new Visitor(t.app).submit(link, { password: 'brand new meadow 55', password_confirm: 'brand new meadow 55' });
    const { res } = await passwordStep({ username: user.username, password: 'brand new meadow 55' });
    expect(res.headers.location).toBe('/login/2fa');
  });
});

describe('Step-up with two-step verification on', () => {
  it('asks for the password and a current code', async () => {
    const user = await createUser(t);
    const visitor = await signedIn(t, user);
    const { secret } = await enrol(visitor);
    t.clock.advance(11 * 60_000);
    const prompt = await visitor.get('/reauth?next=/profile/account');
    expect(prompt.text).toContain('name="code"');
    const withoutCode = await visitor.post('/reauth', { _csrf: csrfTokenIn(prompt.text), password: user.password, next: '/profile/account' });
    expect(withoutCode.status).toBe(422);
    expect(withoutCode.text).toContain('Enter the six-digit code');
    const ok = await visitor.post('/reauth', { _csrf: csrfTokenIn(withoutCode.text), password: user.password, code: totpAt(secret, t.clock.now()), next: '/profile/account' });
    expect(ok.headers.location).toBe('/profile/account');
  });
});

describe('Turning the authenticator app off', () => {
  it('needs a current code, and tells the owner', async () => {
    const user = await createUser(t);
    const visitor = await signedIn(t, user);
    const { secret } = await enrol(visitor);
    const tab = await visitor.get('/profile/security');
    const wrong = await visitor.post('/profile/security/totp/disable', { _csrf: csrfTokenIn(tab.text), code: '000000' });
    expect(wrong.status).toBe(422);
    // The message sits beside the field, so the disclosure holding the form opens by itself.
    expect(wrong.text).toMatch(/<details class="disclosure" open>\s*<summary>Turn off/);
    const ok = await visitor.post('/profile/security/totp/disable', { _csrf: csrfTokenIn(tab.text), code: totpAt(secret, t.clock.now()) });
    expect(ok.headers.location).toBe('/profile/security');
    expect((await t.repos.users.findById(user.id))?.mfaEnabled).toBe(false);
    expect((await passwordStep(user)).res.headers.location).toBe('/');
    await t.deliverMail();
    // The sign-in afterwards comes from a new browser and gets its own notice.
    expect(t.mail.to(user.email).map((m) => m.subject)).toContain('Two-step verification is off for your Atrium account');
  });
});

describe('Operator help for a lost device', () => {
  it('removes every second factor, ends the sessions and tells the owner', async () => {
    const user = await createUser(t);
    const visitor = await signedIn(t, user);
    await enrol(visitor);
    await t.services.adminPersonActions.resetTwoStep(OPERATOR_CONTEXT, user.username);
    expect((await visitor.get('/profile/account')).headers.location).toMatch(/^\/login/);
    expect(await t.deps.db('authenticators').where({ user_id: user.id })).toEqual([]);
    expect((await passwordStep(user)).res.headers.location).toBe('/');
    await t.deliverMail();
    expect(t.mail.to(user.email).map((m) => m.subject)).toContain('An administrator reset the sign-in methods of your Atrium account');
  });
});
