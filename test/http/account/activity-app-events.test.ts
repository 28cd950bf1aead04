import { describeApp } from '../../helpers/app';
import { USER_AGENTS } from '../../helpers/browser-agent';
import { allowedApp } from '../../helpers/connected-apps';
import { createUser, signedIn } from '../../helpers/factories';
import { EN, ORIGIN, activityHelpers, entries, eventRecorder } from './activity-test-helpers';

const t = describeApp({ BASE_URL: ORIGIN }, { mail: true });

const { mark, mailTo } = activityHelpers(t);
const expectRecorded = eventRecorder(t, __filename);

describe('Each kind of event is recorded by the flow that causes it', () => {
  it('connected apps: app_allowed (told by mail) and app_revoked, named by the application', async () => {
    const user = await createUser(t);
    const owner = await signedIn(t, user, USER_AGENTS.firefoxLinuxArm);
    const clientId = await allowedApp(t, user.id, 'Team Wiki');

    // Allow on the consent page ends in this call, with the request's context (the consent flow itself is tested with the provider).
    let since = await mark();
    await t.services.connectedApps.recordAllowed(user, clientId, { ip: '127.0.0.1', userAgent: USER_AGENTS.firefoxLinuxArm, locale: 'en' });
    await expectRecorded(user, 'app_allowed', since, { userAgent: USER_AGENTS.firefoxLinuxArm, data: { name: 'Team Wiki' } });
    const notice = await mailTo(user.email, 'Team Wiki can now sign you in with your Atrium account');
    expect(notice.text).toContain('You allowed Team Wiki to sign you in with your Atrium account on');
    expect(notice.text).toContain('on the Connected apps tab of your profile');

    await owner.get('/profile/apps');
    since = await mark();
    expect((await owner.post(`/profile/apps/${clientId}/revoke`, { _csrf: owner.csrf() })).headers.location).toBe('/profile/apps');
    await expectRecorded(user, 'app_revoked', since, { userAgent: USER_AGENTS.firefoxLinuxArm, data: { name: 'Team Wiki' } });

    const shown = entries((await owner.get('/profile/activity')).text);
    expect(shown.map((e) => [e.label, e.detail])).toEqual(expect.arrayContaining([[EN.kinds.app_allowed, 'Team Wiki'], [EN.kinds.app_revoked, 'Team Wiki']]));
  });
});
