import crypto from 'node:crypto';
import { describeApp } from '../../helpers/app';
import { USER_AGENTS, Visitor, csrfTokenIn } from '../../helpers/browser-agent';
import { createUser, signedIn } from '../../helpers/factories';
import { linkIn } from '../../helpers/mail-catcher';
import { EN, NEW_PASSWORD, ORIGIN, activityHelpers, entries, eventRecorder, pathOf } from './activity-test-helpers';

const t = describeApp({ BASE_URL: ORIGIN }, { mail: true });

const { mark, follow, mailTo } = activityHelpers(t);
const expectRecorded = eventRecorder(t, __filename);

describe('Each kind of event is recorded by the flow that causes it', () => {
  it('password and email: password_changed, password_reset, recovery_email_changed/removed, email_change_requested, email_changed, email_change_undone', async () => {
    const tag = crypto.randomBytes(3).toString('hex');
    const oldEmail = `old-${tag}@example.com`;
    const newEmail = `new-${tag}@example.com`;
    const backup = `backup-${tag}@example.net`;
    const user = await createUser(t, { email: oldEmail, emailVerified: true });
    const owner = await signedIn(t, user, USER_AGENTS.firefoxLinuxArm);

    // Recovery address set and removed on the Account tab.
    let tab = await owner.get('/profile/account');
    let since = await mark();
    expect((await owner.post('/profile/account/recovery-email', { _csrf: csrfTokenIn(tab.text), recovery_email: backup })).status).toBe(303);
    await expectRecorded(user, 'recovery_email_changed', since, { userAgent: USER_AGENTS.firefoxLinuxArm, data: { email: backup } });
    tab = await owner.get('/profile/account');
    since = await mark();
    expect((await owner.post('/profile/account/recovery-email/remove', { _csrf: csrfTokenIn(tab.text) })).status).toBe(303);
    await expectRecorded(user, 'recovery_email_removed', since, { userAgent: USER_AGENTS.firefoxLinuxArm, data: { email: backup } });

    // Email change: requested on the tab, confirmed from the new address, undone from the old one.
    tab = await owner.get('/profile/account');
    since = await mark();
    expect((await owner.post('/profile/account/email', { _csrf: csrfTokenIn(tab.text), email: newEmail })).status).toBe(303);
    await expectRecorded(user, 'email_change_requested', since, { userAgent: USER_AGENTS.firefoxLinuxArm, data: { email: newEmail } });
    const confirmLink = linkIn(await mailTo(newEmail, 'Confirm your new email address for Atrium'), `${ORIGIN}/confirm-email/`);
    since = await mark();
    await follow(new Visitor(t.app, USER_AGENTS.iphoneSafari), confirmLink);
    await expectRecorded(user, 'email_changed', since, { userAgent: USER_AGENTS.iphoneSafari, data: { email: newEmail } });
    expect((await t.repos.users.findById(user.id))?.email).toBe(newEmail);
    const undoLink = linkIn(await mailTo(oldEmail, 'The email address of your Atrium account was changed'), `${ORIGIN}/undo-email-change/`);
    since = await mark();
    await follow(new Visitor(t.app, USER_AGENTS.chromeWindows), undoLink);
    await expectRecorded(user, 'email_change_undone', since, { userAgent: USER_AGENTS.chromeWindows, data: { email: oldEmail } });
    expect((await t.repos.users.findById(user.id))?.email).toBe(oldEmail);

    // Password changed on the Password tab (knowing the old one).
    const again = await signedIn(t, user, USER_AGENTS.iphoneSafari);
    since = await mark();
    const changed = await again.submit('/profile/password', { current_password: user.password, password: NEW_PASSWORD, password_confirm: NEW_PASSWORD });
    expect(changed.headers.location).toBe('/login');
    await expectRecorded(user, 'password_changed', since, { userAgent: USER_AGENTS.iphoneSafari });

    // Password reset through the link mailed by "Forgot password".
    const forgot = await new Visitor(t.app, USER_AGENTS.chromeWindows).submit('/forgot-password', { email: oldEmail });
    expect(forgot.status).toBe(200);
    const resetLink = linkIn(await mailTo(oldEmail, 'Reset your Atrium password'), `${ORIGIN}/reset-password/`);
    since = await mark();
    const chosen = await new Visitor(t.app, USER_AGENTS.firefoxLinuxArm).submit(pathOf(resetLink), { password: 'a brand new passphrase 42', password_confirm: 'a brand new passphrase 42' });
    expect(chosen.status).toBe(303);
    await expectRecorded(user, 'password_reset', since, { userAgent: USER_AGENTS.firefoxLinuxArm });

    const shown = entries((await (await signedIn(t, { username: user.username, password: 'a brand new passphrase 42' })).get('/profile/activity')).text);
    const types = ['recovery_email_changed', 'recovery_email_removed', 'email_change_requested', 'email_changed', 'email_change_undone', 'password_changed', 'password_reset'];
    for (const type of types) expect(shown.map((e) => e.label)).toContain(EN.kinds[type]);
    expect(shown.find((e) => e.label === EN.kinds.email_changed)?.detail).toBe(newEmail);
    expect(shown.find((e) => e.label === EN.kinds.recovery_email_changed)?.detail).toBe(backup);
  });
});
