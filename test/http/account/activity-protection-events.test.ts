import { describeApp } from '../../helpers/app';
import { USER_AGENTS, Visitor } from '../../helpers/browser-agent';
import { createUser, signedIn } from '../../helpers/factories';
import { linkIn } from '../../helpers/mail-catcher';
import { EN, NEW_PASSWORD, ORIGIN, activityHelpers, entries, eventRecorder, pathOf } from './activity-test-helpers';

const t = describeApp({ BASE_URL: ORIGIN }, { mail: true });

const { mark, follow, mailTo, createToken } = activityHelpers(t);
const expectRecorded = eventRecorder(t, __filename);

describe('Each kind of event is recorded by the flow that causes it', () => {
  it('account protection: profile_locked and profile_unlocked by the operator, lockdown from "This wasn\'t me"', async () => {
    const user = await createUser(t);
    const visitor = await signedIn(t, user, USER_AGENTS.firefoxLinuxArm);

    // What the CLI's users:lock and users:unlock call.
    let since = await mark();
    await t.services.adminUsers.setLocked(user.username, true);
    await expectRecorded(user, 'profile_locked', since, { userAgent: null });
    expect((await visitor.get('/profile/account')).headers.location).toMatch(/^\/login/);
    since = await mark();
    await t.services.adminUsers.setLocked(user.username, false);
    await expectRecorded(user, 'profile_unlocked', since, { userAgent: null });

    // A notice mail's "This wasn't me" link, followed by whoever reads the mail.
    const owner = await signedIn(t, user, USER_AGENTS.firefoxLinuxArm);
    await createToken(owner, { name: 'Mallory' });
    const notice = await mailTo(user.email, 'A personal access token was created for your Atrium account');
    const notMe = linkIn(notice, `${ORIGIN}/not-me/`);
    since = await mark();
    const done = await follow(new Visitor(t.app, USER_AGENTS.iphoneSafari), notMe);
    expect(done.text).toContain('Your account is secured');
    await expectRecorded(user, 'lockdown', since, { userAgent: USER_AGENTS.iphoneSafari, data: { tokens: '1', appPasswords: '0' } });

    // Back in after the reset the lockdown mailed: the tab shows all three, flagged where alarming.
    const resetLink = linkIn(await mailTo(user.email, 'Reset your Atrium password'), `${ORIGIN}/reset-password/`);
    expect((await new Visitor(t.app).submit(pathOf(resetLink), { password: NEW_PASSWORD, password_confirm: NEW_PASSWORD })).status).toBe(303);
    const shown = entries((await (await signedIn(t, { username: user.username, password: NEW_PASSWORD })).get('/profile/activity')).text);
    for (const type of ['profile_locked', 'profile_unlocked', 'lockdown']) expect(shown.map((e) => e.label)).toContain(EN.kinds[type]);
    expect(shown.find((e) => e.label === EN.kinds.lockdown)?.alarming).toBe(true);
    expect(shown.find((e) => e.label === EN.kinds.profile_locked)?.alarming).toBe(true);
    expect(shown.find((e) => e.label === EN.kinds.profile_unlocked)?.alarming).toBe(false);
  });
});
