import { describeApp } from '../../helpers/app';
import { USER_AGENTS, Visitor, csrfTokenIn } from '../../helpers/browser-agent';
import { createUser, signedIn } from '../../helpers/factories';
import { secretOnPage, totpAt } from '../../helpers/totp';
import { attest, newCredential } from '../../helpers/webauthn';
import { EN, ORIGIN, activityHelpers, entries, eventRecorder } from './activity-test-helpers';
import { OPERATOR_CONTEXT } from '../../../src/features/admin/actor-context';

const t = describeApp({ BASE_URL: ORIGIN }, { mail: true });

const { mark } = activityHelpers(t);
const expectRecorded = eventRecorder(t, __filename);

const STEP = 30_000;

/** JSON calls as passkeys.js makes them: the page's CSRF token in a header. */
async function json(visitor: Visitor, action: string, body: object = {}) {
  return visitor.agent.post(action).set('User-Agent', visitor.userAgent).set('Accept', 'application/json').set('X-CSRF-Token', csrfTokenIn(visitor.lastPage)).send(body);
}

/** Turns the authenticator app on through the pages; returns the secret and the recovery codes shown. */
async function enrolTotp(visitor: Visitor) {
  const setup = await visitor.get('/profile/security/totp');
  expect(setup.status).toBe(200);
  const secret = secretOnPage(setup.text);
  const res = await visitor.post('/profile/security/totp', { _csrf: csrfTokenIn(setup.text), code: totpAt(secret, t.clock.now()) });
  expect(res.headers.location).toBe('/profile/security/recovery-codes');
  const codes = await acknowledgeCodes(visitor);
  t.clock.advance(STEP);
  return { secret, codes };
}

/** Reads the recovery codes page and confirms they were saved. */
async function acknowledgeCodes(visitor: Visitor): Promise<string[]> {
  const page = await visitor.get('/profile/security/recovery-codes');
  const codes = [...page.text.matchAll(/<li><code>([0-9a-z]{5}-[0-9a-z]{5})<\/code><\/li>/g)].map((m) => m[1] as string);
  expect(codes).toHaveLength(10);
  await visitor.post('/profile/security/recovery-codes/saved', { _csrf: csrfTokenIn(page.text), saved: 'on' });
  return codes;
}

describe('Each kind of event is recorded by the flow that causes it', () => {
  it('two-step verification: mfa_enabled, recovery_code_used, recovery_codes_regenerated, mfa_disabled, passkey_added, passkey_removed, mfa_reset', async () => {
    const user = await createUser(t);
    const owner = await signedIn(t, user, USER_AGENTS.firefoxLinuxArm);
    let since = await mark();
    const { secret, codes } = await enrolTotp(owner);
    await expectRecorded(user, 'mfa_enabled', since, { userAgent: USER_AGENTS.firefoxLinuxArm });

    // Password and a current code: the sign-in says how.
    const withCode = new Visitor(t.app, USER_AGENTS.iphoneSafari);
    expect((await withCode.submit('/login', { identifier: user.username, password: user.password })).headers.location).toBe('/login/2fa');
    const prompt = await withCode.get('/login/2fa');
    since = await mark();
    expect((await withCode.post('/login/2fa', { _csrf: csrfTokenIn(prompt.text), code: totpAt(secret, t.clock.now()) })).headers.location).toBe('/');
    await expectRecorded(user, 'sign_in', since, { userAgent: USER_AGENTS.iphoneSafari, data: { method: 'password+totp' } });

    // Password and a recovery code.
    const withRecovery = new Visitor(t.app, USER_AGENTS.chromeWindows);
    expect((await withRecovery.submit('/login', { identifier: user.username, password: user.password })).headers.location).toBe('/login/2fa');
    const recoveryPrompt = await withRecovery.get('/login/2fa?method=recovery');
    since = await mark();
    expect((await withRecovery.post('/login/2fa', { _csrf: csrfTokenIn(recoveryPrompt.text), recovery_code: codes[0] as string })).status).toBe(303);
    await expectRecorded(user, 'recovery_code_used', since, { userAgent: USER_AGENTS.chromeWindows });
    await expectRecorded(user, 'sign_in', since, { userAgent: USER_AGENTS.chromeWindows, data: { method: 'recovery_code' } });

    // New recovery codes from the Security tab.
    let tab = await owner.get('/profile/security');
    since = await mark();
    expect((await owner.post('/profile/security/recovery-codes', { _csrf: csrfTokenIn(tab.text) })).status).toBe(303);
    await expectRecorded(user, 'recovery_codes_regenerated', since, { userAgent: USER_AGENTS.firefoxLinuxArm });
    await acknowledgeCodes(owner);

    // Authenticator app off with a current code.
    t.clock.advance(STEP);
    tab = await owner.get('/profile/security');
    since = await mark();
    expect((await owner.post('/profile/security/totp/disable', { _csrf: csrfTokenIn(tab.text), code: totpAt(secret, t.clock.now()) })).headers.location).toBe('/profile/security');
    await expectRecorded(user, 'mfa_disabled', since, { userAgent: USER_AGENTS.firefoxLinuxArm });

    // A passkey added (the software authenticator) and removed.
    await owner.get('/profile/security');
    const options = await json(owner, '/profile/security/passkeys/options');
    expect(options.status).toBe(200);
    since = await mark();
    const added = await json(owner, '/profile/security/passkeys', { response: attest(newCredential(), options.body, ORIGIN), name: 'Work laptop' });
    expect(added.status).toBe(200);
    await expectRecorded(user, 'passkey_added', since, { userAgent: USER_AGENTS.firefoxLinuxArm, data: { name: 'Work laptop' } });
    if (added.body.redirect === '/profile/security/recovery-codes') await acknowledgeCodes(owner);
    const [passkey] = await t.repos.authenticators.listPasskeys(user.id);
    if (!passkey) throw new Error('no passkey');
    tab = await owner.get('/profile/security');
    since = await mark();
    expect((await owner.post(`/profile/security/passkeys/${passkey.id}/remove`, { _csrf: csrfTokenIn(tab.text) })).headers.location).toBe('/profile/security');
    await expectRecorded(user, 'passkey_removed', since, { userAgent: USER_AGENTS.firefoxLinuxArm, data: { name: 'Work laptop' } });

    // The operator's "mfa:reset" for a lost device: no request, so no address or browser.
    await enrolTotp(owner);
    since = await mark();
    await t.services.adminPersonActions.resetTwoStep(OPERATOR_CONTEXT, user.username);
    await expectRecorded(user, 'mfa_reset', since, { userAgent: null });

    const shown = entries((await (await signedIn(t, user)).get('/profile/activity')).text);
    const types = ['mfa_enabled', 'recovery_code_used', 'recovery_codes_regenerated', 'mfa_disabled', 'passkey_added', 'passkey_removed', 'mfa_reset'];
    for (const type of types) expect(shown.map((e) => e.label)).toContain(EN.kinds[type]);
    const reset = shown.find((e) => e.label === EN.kinds.mfa_reset);
    expect(reset).toMatchObject({ ip: '', client: '', alarming: true });
    expect(shown.find((e) => e.label === EN.kinds.passkey_added)?.detail).toBe('Work laptop');
    expect(shown.some((e) => e.label === EN.kinds.sign_in && e.detail.startsWith(EN.methods['password+totp'] as string))).toBe(true);
  });
});
