import request from 'supertest';
import { describeApp } from '../../helpers/app';
import { createUser, signedIn } from '../../helpers/factories';
import { adminPersonHelpers } from './admin-person-helpers';

const t = describeApp();
const { administrator } = adminPersonHelpers(t);

describe("One person's page in the console", () => {
  it("shows the administrator everything about the person's state, and none of their secrets", async () => {
    const { browser } = await administrator();
    const person = await createUser(t, { firstName: 'Ada', lastName: 'Lovelace', emailVerified: true });
    await signedIn(t, person);
    const now = t.clock.now();
    await t.deps.db('users').where({ id: person.id }).update({ recovery_email: 'ada.backup@example.com', recovery_email_verified_at: now });
    await t.repos.authenticators.insertTotp(person.id, 'SEALED-TOTP-SECRET-abc123', 1, now);
    await t.repos.authenticators.replaceRecoveryCodes(person.id, ['$2b$04$recoverycodehashnumberone', '$2b$04$recoverycodehashnumbertwo'], now);
    await t.repos.authenticators.insertPasskey(person.id, { name: 'Ada’s YubiKey', credentialId: 'cred-1', publicKey: 'PASSKEY-PUBLIC-KEY', counter: 0, transports: [], aaguid: '' }, now);
    await t.repos.users.setMfaEnabled(person.id, true, now);
    await t.repos.credentials.insertToken({ userId: person.id, name: 'CI deploy', hash: 'f00dtokenhashf00dtokenhash', lastFour: 'Wxyz', scope: 'write', allowedIps: null, expiresAt: new Date(now.getTime() + 86_400_000), now });
    await t.repos.credentials.insertAppPassword({ userId: person.id, name: 'Thunderbird', hash: 'beefapppasswordhash', scope: 'read', now });
    await t.repos.credentials.insertSshKey({ userId: person.id, title: 'Laptop', keyType: 'ssh-ed25519', bits: 256, fingerprint: 'SHA256:abcdefFingerprint', publicKey: 'ssh-ed25519 AAAAPUBLICKEYBODY', comment: '', now });

    const page = await browser.get(`/admin/users/${person.username}`);
    expect(page.status).toBe(200);
    expect(page.text).toMatch(/<h1[^>]*>Ada Lovelace<\/h1>/);
    for (const shown of [person.email, 'ada.backup@example.com', 'Two-step on', 'On since', '2 left', 'Ada’s YubiKey', 'CI deploy', 'pat_…Wxyz', 'Thunderbird', 'Laptop', 'SHA256:abcdefFingerprint', 'Signed-in devices', 'Recent activity', 'Signed in']) {
      expect(page.text).toContain(shown);
    }
    const stored = await t.repos.users.findById(person.id);
    for (const secret of ['SEALED-TOTP-SECRET', 'recoverycodehash', 'f00dtokenhash', 'beefapppasswordhash', 'PASSKEY-PUBLIC-KEY', 'AAAAPUBLICKEYBODY', stored?.passwordHash as string]) {
      expect(page.text).not.toContain(secret);
    }
    // The person's two-step state is the page's, not a demand on the administrator looking at it.
    expect(page.text).not.toContain('Two-step verification is required');
  });

  it('an unknown, overlong or hostile username is a 404 that says so in words', async () => {
    const { browser } = await administrator();
    for (const name of ['nobody-here', 'x'.repeat(5000), "<script>alert(1)</script>", "' or 1=1 --", '%00']) {
      const res = await browser.get(`/admin/users/${encodeURIComponent(name)}`);
      expect(res.status).toBe(404);
      expect(res.text).toContain('There is no account with that username.');
      expect(res.text).not.toContain('<script>alert(1)</script>');
    }
  });

  it('is a plain 404 for people without the role and for visitors', async () => {
    const person = await createUser(t);
    const other = await signedIn(t, await createUser(t));
    expect((await other.get(`/admin/users/${person.username}`)).status).toBe(404);
    expect((await request(t.app).get(`/admin/users/${person.username}`).set('Accept', 'text/html')).status).toBe(404);
  });

  it('an administrator sees their own page, without the doors that would lock them out', async () => {
    const { admin, browser } = await administrator();
    await t.repos.authenticators.replaceRecoveryCodes(admin.id, ['$2b$04$x'], t.clock.now());
    const page = await browser.get(`/admin/users/${admin.username}`);
    expect(page.status).toBe(200);
    expect(page.text).toContain('>You<');
    expect(page.text).not.toContain(`/admin/users/${admin.username}/lock"`);
    expect(page.text).not.toContain(`/admin/users/${admin.username}/reset-two-step"`);
  });
});
