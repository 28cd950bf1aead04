import { describeDirectoryApp } from '../../helpers/directory-app';
import { signedIn } from '../../helpers/factories';
import { DIRECTORY_PEOPLE, LOCKED_FOREVER } from '../../helpers/slapd';
import { ORIGIN, activityHelpers, eventRecorder } from './activity-test-helpers';

const { t, slapd } = describeDirectoryApp({ BASE_URL: ORIGIN }, { mail: true });

const { mark, mailTo } = activityHelpers(t);
const expectRecorded = eventRecorder(t, __filename);
const { ada } = DIRECTORY_PEOPLE;

describe('Each kind of event is recorded by the flow that causes it', () => {
  it('the directory: directory_locked, recorded by the sync without an address, and told by mail', async () => {
    await signedIn(t, { username: ada.uid, password: ada.password });
    const user = await t.repos.users.findByUsername(ada.uid);
    await slapd.modify(ada.dn, 'pwdAccountLockedTime', [LOCKED_FOREVER]);
    const since = await mark();
    expect((await t.services.directorySync.run())?.locked).toBe(1);
    await expectRecorded(user!, 'directory_locked', since, { userAgent: null });
    const notice = await mailTo(ada.email, 'Your Atrium account was locked');
    expect(notice.text).toContain("because your organisation's directory no longer has your entry, or has disabled it");
  });
});
