import crypto from 'node:crypto';
import request from 'supertest';
import { describeApp } from '../../helpers/app';
import { USER_AGENTS } from '../../helpers/browser-agent';
import { createUser, signedIn } from '../../helpers/factories';
import { EN, LOOPBACK, ORIGIN, activityHelpers, entries, eventRecorder } from './activity-test-helpers';

const t = describeApp({ BASE_URL: ORIGIN }, { mail: true });

const { eventsOf, mark, createToken } = activityHelpers(t);
const expectRecorded = eventRecorder(t, __filename);

const SCRIPT_AGENT = 'backup-script/1.2';

const api = (secret: string) => request(t.app).get('/api/v1/users/me').set('Authorization', `Bearer ${secret}`).set('User-Agent', SCRIPT_AGENT);

/** A valid OpenSSH ed25519 public key line, made with node:crypto. */
function ed25519Line(comment: string): string {
  const raw = Buffer.from(crypto.generateKeyPairSync('ed25519').publicKey.export({ format: 'jwk' }).x as string, 'base64url');
  const part = (b: Buffer) => {
    const length = Buffer.alloc(4);
    length.writeUInt32BE(b.length);
    return Buffer.concat([length, b]);
  };
  return `ssh-ed25519 ${Buffer.concat([part(Buffer.from('ssh-ed25519')), part(raw)]).toString('base64')} ${comment}`;
}

describe('Each kind of event is recorded by the flow that causes it', () => {
  it('tokens, app passwords and SSH keys: token_created, token_used_from_new_ip, token_regenerated, token_revoked, token_refused_ip, app_password_created/revoked, ssh_key_added/removed', async () => {
    const user = await createUser(t);
    const owner = await signedIn(t, user, USER_AGENTS.firefoxLinuxArm);

    let since = await mark();
    const secret = await createToken(owner);
    await expectRecorded(user, 'token_created', since, { userAgent: USER_AGENTS.firefoxLinuxArm, data: { name: 'Backup script' } });

    since = await mark();
    expect((await api(secret)).status).toBe(200);
    await expectRecorded(user, 'token_used_from_new_ip', since, { userAgent: SCRIPT_AGENT, data: { name: 'Backup script' } });
    // The same address again is not news.
    since = await mark();
    expect((await api(secret)).status).toBe(200);
    expect((await eventsOf(user.id)).filter((e) => Number(e.id) > since)).toEqual([]);

    const [token] = await t.services.apiTokens.list(user);
    if (!token) throw new Error('no token');
    await owner.get('/profile/tokens');
    since = await mark();
    expect((await owner.post(`/profile/tokens/${token.id}/regenerate`, { _csrf: owner.csrf() })).status).toBe(303);
    await expectRecorded(user, 'token_regenerated', since, { userAgent: USER_AGENTS.firefoxLinuxArm, data: { name: 'Backup script' } });
    await owner.get('/profile/tokens');
    since = await mark();
    expect((await owner.post(`/profile/tokens/${token.id}/revoke`, { _csrf: owner.csrf() })).status).toBe(303);
    await expectRecorded(user, 'token_revoked', since, { userAgent: USER_AGENTS.firefoxLinuxArm, data: { name: 'Backup script' } });

    const fenced = await createToken(owner, { name: 'Office only', allowed_ips: '192.0.2.0/24' });
    since = await mark();
    const refused = await api(fenced);
    expect(refused.status).toBe(403);
    expect(refused.body.error.code).toBe('ip_not_allowed');
    await expectRecorded(user, 'token_refused_ip', since, { userAgent: SCRIPT_AGENT, data: { name: 'Office only' } });

    since = await mark();
    expect((await owner.submit('/profile/app-passwords', { name: 'Calendar on my phone', scope: 'read' })).status).toBe(303);
    await expectRecorded(user, 'app_password_created', since, { userAgent: USER_AGENTS.firefoxLinuxArm, data: { name: 'Calendar on my phone' } });
    const [appPassword] = await t.services.appPasswords.list(user);
    if (!appPassword) throw new Error('no app password');
    await owner.get('/profile/app-passwords');
    since = await mark();
    expect((await owner.post(`/profile/app-passwords/${appPassword.id}/revoke`, { _csrf: owner.csrf() })).status).toBe(303);
    await expectRecorded(user, 'app_password_revoked', since, { userAgent: USER_AGENTS.firefoxLinuxArm, data: { name: 'Calendar on my phone' } });

    since = await mark();
    const addedKey = await owner.submit('/profile/keys', { title: 'Laptop key', key: ed25519Line('someone@laptop') });
    expect(addedKey.status).toBe(303);
    const keyAdded = await expectRecorded(user, 'ssh_key_added', since, { userAgent: USER_AGENTS.firefoxLinuxArm, data: { name: 'Laptop key' } });
    expect(keyAdded.data.fingerprint).toMatch(/^SHA256:/);
    const [key] = await t.services.sshKeys.list(user);
    if (!key) throw new Error('no key');
    await owner.get('/profile/keys');
    since = await mark();
    expect((await owner.post(`/profile/keys/${key.id}/delete`, { _csrf: owner.csrf() })).status).toBe(303);
    await expectRecorded(user, 'ssh_key_removed', since, { userAgent: USER_AGENTS.firefoxLinuxArm, data: { name: 'Laptop key', fingerprint: keyAdded.data.fingerprint as string } });

    const shown = entries((await owner.get('/profile/activity')).text);
    const types = ['token_created', 'token_used_from_new_ip', 'token_regenerated', 'token_revoked', 'token_refused_ip', 'app_password_created', 'app_password_revoked', 'ssh_key_added', 'ssh_key_removed'];
    for (const type of types) expect(shown.map((e) => e.label)).toContain(EN.kinds[type]);
    const used = shown.find((e) => e.label === EN.kinds.token_used_from_new_ip);
    expect(used).toMatchObject({ detail: 'Backup script', client: SCRIPT_AGENT });
    expect(used?.ip).toMatch(LOOPBACK);
    expect(shown.find((e) => e.label === EN.kinds.token_refused_ip)?.alarming).toBe(true);
  });
});
