import { USER_AGENTS } from '../../helpers/browser-agent';
import { createUser, signedIn } from '../../helpers/factories';
import { describeAppWithProviders, throughProvider } from '../../helpers/identity-providers';
import { EN, activityHelpers, entries, eventRecorder } from './activity-test-helpers';

const t = describeAppWithProviders([{ id: 'corp', name: 'Corp SSO' }], {}, { mail: true });

const { mark } = activityHelpers(t);
const expectRecorded = eventRecorder(t, __filename);

describe('Each kind of event is recorded by the flow that causes it', () => {
  it('connections: identity_connected and identity_disconnected, named by the provider', async () => {
    await t.providers.corp!.addAccount({ sub: 'activity-sub', email: 'activity@corp.example' });
    const user = await createUser(t);
    const owner = await signedIn(t, user, USER_AGENTS.firefoxLinuxArm);

    let since = await mark();
    expect((await throughProvider(owner, '/profile/connections', '/profile/connections/corp/connect', { sub: 'activity-sub' })).headers.location).toBe('/profile/connections');
    await expectRecorded(user, 'identity_connected', since, { userAgent: USER_AGENTS.firefoxLinuxArm, data: { name: 'Corp SSO' } });

    const [identity] = await t.repos.identities.listByUser(user.id);
    await owner.get('/profile/connections');
    since = await mark();
    expect((await owner.post(`/profile/connections/${identity?.id}/remove`, { _csrf: owner.csrf() })).headers.location).toBe('/profile/connections');
    await expectRecorded(user, 'identity_disconnected', since, { userAgent: USER_AGENTS.firefoxLinuxArm, data: { name: 'Corp SSO' } });

    const shown = entries((await owner.get('/profile/activity')).text).map((e) => e.label);
    expect(shown).toEqual(expect.arrayContaining([EN.kinds.identity_connected, EN.kinds.identity_disconnected]));
  });
});
