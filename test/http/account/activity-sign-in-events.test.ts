import type { SecurityEventType } from '../../../src/core/security/security-notices';
import { describeApp } from '../../helpers/app';
import { USER_AGENTS, Visitor, csrfTokenIn } from '../../helpers/browser-agent';
import { createUser, signedIn } from '../../helpers/factories';
import { EN, ORIGIN, activityHelpers, entries, eventRecorder } from './activity-test-helpers';

const t = describeApp({ BASE_URL: ORIGIN }, { mail: true });

const { eventsOf, mark } = activityHelpers(t);
const expectRecorded = eventRecorder(t, __filename);

/** For what is written in the background: waits up to two seconds for it to appear. */
async function eventually(user: { id: string }, type: SecurityEventType, since: number): Promise<void> {
  for (let i = 0; i < 40; i++) {
    const found = await t.deps.db('security_events').where({ user_id: user.id, type }).andWhere('id', '>', since).first();
    if (found) return;
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('Each kind of event is recorded by the flow that causes it', () => {
  it('signing in and out: sign_in, sign_in_failed, session_revoked, sign_out', async () => {
    const user = await createUser(t);
    let since = await mark();
    const laptop = await signedIn(t, user, USER_AGENTS.firefoxLinuxArm);
    await expectRecorded(user, 'sign_in', since, { userAgent: USER_AGENTS.firefoxLinuxArm, data: { method: 'password', newDevice: 'true' } });

    since = await mark();
    const wrong = await new Visitor(t.app, USER_AGENTS.iphoneSafari).submit('/login', { identifier: user.username, password: 'not the password at all' });
    expect(wrong.status).toBe(422);
    await eventually(user, 'sign_in_failed', since);
    await expectRecorded(user, 'sign_in_failed', since, { userAgent: USER_AGENTS.iphoneSafari });
    // An unknown account has no log to write to, and nothing lands on this one.
    since = await mark();
    await new Visitor(t.app).submit('/login', { identifier: `nobody${user.username}`, password: 'not the password at all' });
    await new Promise((r) => setTimeout(r, 200));
    expect((await eventsOf(user.id)).filter((e) => Number(e.id) > since)).toEqual([]);

    const phone = await signedIn(t, user, USER_AGENTS.iphoneSafari);
    const phoneSession = (await t.deps.sessions.listByUser(user.id)).find((s) => s.data.device?.deviceModel === 'iPhone');
    if (!phoneSession) throw new Error('no phone session');
    const page = await laptop.get('/profile/sessions');
    since = await mark();
    const revoked = await laptop.post(`/profile/sessions/${phoneSession.id}/revoke`, { _csrf: csrfTokenIn(page.text) });
    expect(revoked.status).toBe(303);
    await expectRecorded(user, 'session_revoked', since, { userAgent: USER_AGENTS.firefoxLinuxArm, data: { count: '1' } });
    expect((await phone.get('/profile/account')).headers.location).toMatch(/^\/login/);

    const tab = await laptop.get('/profile/activity');
    expect(tab.status).toBe(200);
    since = await mark();
    const out = await laptop.post('/logout', { _csrf: csrfTokenIn(tab.text) });
    expect(out.status).toBe(303);
    await expectRecorded(user, 'sign_out', since, { userAgent: USER_AGENTS.firefoxLinuxArm });

    // The tab labels each of them.
    const shown = entries((await (await signedIn(t, user)).get('/profile/activity')).text).map((e) => e.label);
    for (const type of ['sign_in', 'sign_in_failed', 'session_revoked', 'sign_out']) expect(shown).toContain(EN.kinds[type]);
  });
});
