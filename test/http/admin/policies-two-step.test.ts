import { describeApp, type TestApp } from '../../helpers/app';
import { csrfTokenIn } from '../../helpers/browser-agent';
import { createUser, signedIn } from '../../helpers/factories';
import { secretOnPage, totpAt } from '../../helpers/totp';
import { setPolicies } from './policies-test-helpers';

const DAY = 86_400_000;
const BANNER = 'Two-step verification is required';
const SUBJECT = 'Set up two-step verification for your Atrium account';

const t = describeApp({}, { mail: true });

async function mailsTo(app: TestApp, email: string) {
  await app.deliverMail();
  return app.mail.messages.filter((m) => m.to.includes(email) && m.subject === SUBJECT);
}

describe('Two-step verification required by the console', () => {
  afterEach(() => setPolicies(t, { two_step: 'off', grace_days: 0 }));

  it('for everyone, with 14 days of grace: a banner and one mail during the grace period, then the next sign-in sends them to set it up first', async () => {
    const person = await createUser(t);
    await setPolicies(t, { two_step: 'everyone', grace_days: 14 });

    const reminded = await signedIn(t, person);
    const home = await reminded.get('/');
    expect(home.status).toBe(200);
    expect(home.text).toContain(BANNER);
    expect(home.text).toContain('Set it up by');
    expect((await reminded.get('/profile/account')).status).toBe(200);
    const mails = await mailsTo(t, person.email);
    expect(mails).toHaveLength(1);
    expect(mails[0]?.text).toContain('Please set it up by');
    expect(mails[0]?.text).toContain('http://localhost:3000/profile/security');
    await signedIn(t, person);
    expect(await mailsTo(t, person.email)).toHaveLength(1);

    t.clock.advance(15 * DAY);
    const due = await signedIn(t, person);
    for (const path of ['/', '/profile/account', '/profile/sessions']) expect((await due.get(path)).headers.location).toBe('/profile/security');
    const tab = await due.get('/profile/security');
    expect(tab.text).toContain('Your organisation requires a second step at sign-in.');
    expect((await due.post('/profile/account/name', { _csrf: csrfTokenIn(tab.text), first_name: 'X', last_name: 'Y' })).status).toBe(403);
    expect(await mailsTo(t, person.email)).toHaveLength(1);

    const setup = await due.get('/profile/security/totp');
    await due.post('/profile/security/totp', { _csrf: csrfTokenIn(setup.text), code: totpAt(secretOnPage(setup.text), t.clock.now()) });
    const codes = await due.get('/profile/security/recovery-codes');
    await due.post('/profile/security/recovery-codes/saved', { _csrf: csrfTokenIn(codes.text), saved: 'on' });
    const free = await due.get('/profile/account');
    expect(free.status).toBe(200);
    expect(free.text).not.toContain(BANNER);
  });

  it('counts the grace period from account creation for accounts made after the policy', async () => {
    await setPolicies(t, { two_step: 'everyone', grace_days: 7 });
    t.clock.advance(10 * DAY);
    const newcomer = await createUser(t);
    const visitor = await signedIn(t, newcomer);
    const home = await visitor.get('/');
    expect(home.status).toBe(200);
    expect(home.text).toContain(BANNER);
  });

  it('for administrators only: a person is left alone, an administrator without a second factor is sent to set one up before the console', async () => {
    const person = await createUser(t);
    const admin = await createUser(t, { admin: true });
    await setPolicies(t, { two_step: 'admins', grace_days: 0 });

    const personsHome = await (await signedIn(t, person)).get('/');
    expect(personsHome.status).toBe(200);
    expect(personsHome.text).not.toContain(BANNER);
    expect(await mailsTo(t, person.email)).toHaveLength(0);

    const console = await signedIn(t, admin);
    expect((await console.get('/admin/users')).headers.location).toBe('/profile/security');
    expect((await console.agent.get('/api/v1/users/me').set('Accept', 'application/json')).status).toBe(403);
    expect(await mailsTo(t, admin.email)).toHaveLength(1);
    expect((await mailsTo(t, admin.email))[0]?.text).toContain('the next time you sign in');

    await setPolicies(t, { two_step: 'off' });
    expect((await console.get('/profile/account')).status).toBe(200);
  });
});

describe('With REQUIRE_2FA=admins in the environment', () => {
  const env = describeApp({ REQUIRE_2FA: 'admins' });

  it('administrators must set up a second factor at sign-in, others need not; the console cannot relax it', async () => {
    await env.repos.adminPolicies.set('two_step', 'off', null, env.clock.now());
    const admin = await signedIn(env, await createUser(env, { admin: true }));
    expect((await admin.get('/')).headers.location).toBe('/profile/security');
    expect((await (await signedIn(env, await createUser(env))).get('/')).status).toBe(200);
  });
});
