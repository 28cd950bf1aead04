import { describeApp } from '../../helpers/app';
import { USER_AGENTS } from '../../helpers/browser-agent';
import { createUser, signedIn } from '../../helpers/factories';
import { EN, ORIGIN, activityHelpers, entries, eventRecorder } from './activity-test-helpers';

const t = describeApp({ BASE_URL: ORIGIN }, { mail: true });

const { mark } = activityHelpers(t);
const expectRecorded = eventRecorder(t, __filename);

describe('Each kind of event is recorded by the flow that causes it', () => {
  it("an administrator's help from the adminBrowser: sessions ended, access revoked, links sent, address confirmed", async () => {
    const admin = await createUser(t, { admin: true });
    const adminBrowser = await signedIn(t, admin, USER_AGENTS.firefoxLinuxArm);
    const person = await createUser(t);
    await signedIn(t, person);
    const key = await t.repos.credentials.insertSshKey({ userId: person.id, title: 'Old laptop', keyType: 'ssh-ed25519', bits: 256, fingerprint: 'SHA256:old', publicKey: 'ssh-ed25519 AAAA', comment: '', now: t.clock.now() });
    const page = `/admin/users/${person.username}`;
    const act = async (path: string) => {
      await adminBrowser.get(page);
      expect((await adminBrowser.post(`${page}/${path}`, { _csrf: adminBrowser.csrf() })).status).toBe(303);
    };

    let since = await mark();
    await act('sessions/end-all');
    await expectRecorded(person, 'sessions_ended_by_admin', since, { userAgent: USER_AGENTS.firefoxLinuxArm, data: { count: '1' } });
    since = await mark();
    await act(`keys/${key.id}/delete`);
    await expectRecorded(person, 'credential_revoked_by_admin', since, { userAgent: USER_AGENTS.firefoxLinuxArm, data: { name: 'Old laptop', kind: 'ssh_key' } });
    since = await mark();
    await act('password-reset');
    await expectRecorded(person, 'password_reset_sent_by_admin', since, { userAgent: USER_AGENTS.firefoxLinuxArm });
    since = await mark();
    await act('resend-verification');
    await expectRecorded(person, 'verification_sent_by_admin', since, { userAgent: USER_AGENTS.firefoxLinuxArm, data: { email: person.email } });
    since = await mark();
    await act('mark-verified');
    await expectRecorded(person, 'email_verified_by_admin', since, { userAgent: USER_AGENTS.firefoxLinuxArm, data: { email: person.email } });

    // The person reads them on their own Activity tab.
    const shown = entries((await (await signedIn(t, person)).get('/profile/activity')).text).map((e) => e.label);
    for (const type of ['sessions_ended_by_admin', 'credential_revoked_by_admin', 'password_reset_sent_by_admin', 'verification_sent_by_admin', 'email_verified_by_admin']) expect(shown).toContain(EN.kinds[type]);
  });

  it('an administrator makes the person an administrator, then a regular user again', async () => {
    const admin = await createUser(t, { admin: true });
    const adminBrowser = await signedIn(t, admin, USER_AGENTS.firefoxLinuxArm);
    const person = await createUser(t);
    const page = `/admin/users/${person.username}`;
    const give = async (role: string) => {
      await adminBrowser.get(page);
      expect((await adminBrowser.post(`${page}/role`, { _csrf: adminBrowser.csrf(), role })).status).toBe(303);
    };
    let since = await mark();
    await give('admin');
    await expectRecorded(person, 'role_granted', since, { userAgent: USER_AGENTS.firefoxLinuxArm });
    since = await mark();
    await give('user');
    await expectRecorded(person, 'role_revoked', since, { userAgent: USER_AGENTS.firefoxLinuxArm });
    const shown = entries((await (await signedIn(t, person)).get('/profile/activity')).text).map((e) => e.label);
    for (const type of ['role_granted', 'role_revoked']) expect(shown).toContain(EN.kinds[type]);
  });
});
