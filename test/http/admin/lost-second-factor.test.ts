import { describeApp } from '../../helpers/app';
import { createUser, signedIn } from '../../helpers/factories';
import { adminPersonHelpers } from './admin-person-helpers';

const t = describeApp({}, { mail: true });
const { administrator, auditOf, activityOf, act } = adminPersonHelpers(t);

describe('The lost phone: resetting a person\'s two-step verification', () => {
  it('removes the app, recovery codes and passkeys, turns two-step off, signs them out, audits, records and mails', async () => {
    const { admin, browser } = await administrator();
    const person = await createUser(t, { emailVerified: true });
    const theirs = await signedIn(t, person);
    const now = t.clock.now();
    await t.repos.authenticators.insertTotp(person.id, 'sealed', 1, now);
    await t.repos.authenticators.replaceRecoveryCodes(person.id, ['h1', 'h2'], now);
    await t.repos.authenticators.insertPasskey(person.id, { name: 'Phone', credentialId: 'c-lost', publicKey: 'pk', counter: 0, transports: [], aaguid: '' }, now);
    await t.repos.users.setMfaEnabled(person.id, true, now);

    const res = await act(browser, `/admin/users/${person.username}/reset-two-step`);
    expect(res.status).toBe(303);
    expect((await browser.get(res.headers.location as string)).text).toContain('Two-step verification and passkeys are removed');
    expect(await t.repos.authenticators.findTotp(person.id)).toBeUndefined();
    expect(await t.repos.authenticators.findRecoveryCodes(person.id)).toBeUndefined();
    expect(await t.repos.authenticators.countPasskeys(person.id)).toBe(0);
    expect((await t.repos.users.findById(person.id))?.mfaEnabled).toBe(false);
    expect((await theirs.get('/profile/account')).headers.location).toMatch(/^\/login/);
    const audit = await auditOf(person);
    expect(audit.map((r) => [r.action, r.actor_id, r.data])).toEqual([['two_step_reset', admin.id, { removed: 3 }]]);
    expect(await activityOf(person)).toContain('mfa_reset');
    await t.deliverMail();
    expect(t.mail.last(person.email).subject).toBe('An administrator reset the sign-in methods of your Atrium account');

    // Nothing left to remove: said so, nothing recorded.
    const again = await act(browser, `/admin/users/${person.username}/reset-two-step`);
    expect((await browser.get(again.headers.location as string)).text).toContain('nothing was removed');
    expect(await auditOf(person)).toHaveLength(1);
  });

  it('is refused on one\'s own account', async () => {
    const { admin, browser } = await administrator();
    await t.repos.authenticators.replaceRecoveryCodes(admin.id, ['h1'], t.clock.now());
    const res = await act(browser, `/admin/users/${admin.username}/reset-two-step`);
    expect((await browser.get(res.headers.location as string)).text).toContain('You cannot do this to your own account');
    expect(await t.repos.authenticators.findRecoveryCodes(admin.id)).toBeDefined();
  });
});
