import request from 'supertest';
import { describeApp } from '../../helpers/app';
import { createUser, signedIn } from '../../helpers/factories';
import { adminPersonHelpers, ctx } from './admin-person-helpers';

const t = describeApp({}, { mail: true });
const { administrator, auditOf, activityOf, act } = adminPersonHelpers(t);

describe("Ending a person's sessions and revoking their credentials", () => {
  it('signs them out of one device, then everywhere; each audited, recorded and mailed', async () => {
    const { browser } = await administrator();
    const person = await createUser(t, { emailVerified: true });
    const phone = await signedIn(t, person);
    const laptop = await signedIn(t, person);
    const [first] = await t.services.sessions.list(person.id, undefined);

    const one = await act(browser, `/admin/users/${person.username}/sessions/${first?.id}/end`);
    expect((await browser.get(one.headers.location as string)).text).toContain('The device is signed out.');
    expect(await t.services.sessions.list(person.id, undefined)).toHaveLength(1);

    const all = await act(browser, `/admin/users/${person.username}/sessions/end-all`);
    expect((await browser.get(all.headers.location as string)).text).toContain('1 session ended.');
    for (const device of [phone, laptop]) expect((await device.get('/profile/account')).headers.location).toMatch(/^\/login/);
    expect((await auditOf(person)).map((r) => r.action)).toEqual(['session_ended', 'sessions_ended']);
    expect((await activityOf(person)).filter((k) => k === 'sessions_ended_by_admin')).toHaveLength(2);
    await t.deliverMail();
    expect(t.mail.to(person.email).filter((m) => m.subject === 'An administrator signed you out of Atrium')).toHaveLength(2);
  });

  it('revokes a token, an app password and an SSH key of theirs; the token stops working at once', async () => {
    const { browser } = await administrator();
    const person = await createUser(t, { emailVerified: true });
    const { secret, token } = await t.services.apiTokens.create(person, { name: 'Deploy bot', scope: 'write', expires: '30' }, ctx);
    const app = await t.repos.credentials.insertAppPassword({ userId: person.id, name: 'Mail app', hash: 'h-app', scope: 'read', now: t.clock.now() });
    const key = await t.repos.credentials.insertSshKey({ userId: person.id, title: 'Desk', keyType: 'ssh-ed25519', bits: 256, fingerprint: 'SHA256:desk', publicKey: 'ssh-ed25519 AAAA', comment: '', now: t.clock.now() });

    expect((await act(browser, `/admin/users/${person.username}/tokens/${token.id}/revoke`)).status).toBe(303);
    expect((await request(t.app).get('/api/v1/users/me').set('Authorization', `Bearer ${secret}`)).status).toBe(401);
    expect((await act(browser, `/admin/users/${person.username}/app-passwords/${app.id}/revoke`)).status).toBe(303);
    expect((await act(browser, `/admin/users/${person.username}/keys/${key.id}/delete`)).status).toBe(303);
    expect(await t.repos.credentials.listAppPasswords(person.id)).toEqual([]);
    expect(await t.repos.credentials.listSshKeys(person.id)).toEqual([]);
    expect((await auditOf(person)).map((r) => [r.action, r.data.name])).toEqual([
      ['token_revoked', 'Deploy bot'],
      ['app_password_revoked', 'Mail app'],
      ['ssh_key_revoked', 'Desk'],
    ]);
    expect((await activityOf(person)).filter((k) => k === 'credential_revoked_by_admin')).toHaveLength(3);
    await t.deliverMail();
    expect(t.mail.to(person.email).map((m) => m.text).join('\n')).toContain('An administrator revoked "Deploy bot"');
  });

  it("someone else's token, an unknown or malformed id, or someone else's session is a 404, and nothing changes", async () => {
    const { browser } = await administrator();
    const person = await createUser(t);
    const other = await createUser(t);
    const { token } = await t.services.apiTokens.create(other, { name: 'Not theirs', scope: 'write', expires: '30' }, ctx);
    await signedIn(t, other);
    const [otherSession] = await t.services.sessions.list(other.id, undefined);
    const doors = [
      `/admin/users/${person.username}/tokens/${token.id}/revoke`,
      `/admin/users/${person.username}/tokens/not-a-uuid/revoke`,
      `/admin/users/${person.username}/app-passwords/00000000-0000-4000-8000-000000000000/revoke`,
      `/admin/users/${person.username}/keys/${'x'.repeat(300)}/delete`,
      `/admin/users/${person.username}/sessions/${otherSession?.id}/end`,
      `/admin/users/${person.username}/sessions/%3Cscript%3E/end`,
    ];
    await browser.get(`/admin/users/${person.username}`);
    for (const door of doors) {
      const res = await browser.agent.post(door).type('form').set('Accept', 'text/html').send({ _csrf: browser.csrf() });
      expect({ door, status: res.status }).toEqual({ door, status: 404 });
      expect(res.text).not.toContain('<script>');
    }
    expect(await t.repos.credentials.listTokens(other.id)).toHaveLength(1);
    expect(await t.services.sessions.list(other.id, undefined)).toHaveLength(1);
    expect(await auditOf(person)).toEqual([]);
  });
});
