import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import request from 'supertest';
import { EVENT_GROUPS, type SecurityEventType } from '../../../src/features/account/security-notices';
import { startTestApp, type TestApp } from '../../helpers/app';
import { USER_AGENTS, Visitor, csrfTokenIn } from '../../helpers/browser-agent';
import { createUser, signedIn } from '../../helpers/factories';
import { linkIn } from '../../helpers/mail-catcher';
import { secretOnPage, totpAt } from '../../helpers/totp';
import { attest, newCredential } from '../../helpers/webauthn';

let t: TestApp;
const ORIGIN = 'http://localhost:3000';
beforeAll(async () => {
  t = await startTestApp({ BASE_URL: ORIGIN }, { mail: true });
});
afterAll(async () => t.close());

const STEP = 30_000;
const SCRIPT_AGENT = 'backup-script/1.2';
const NEW_PASSWORD = 'copper lantern orchard 64';
const LOOPBACK = /^(127\.0\.0\.1|::1|::ffff:127\.0\.0\.1)$/;
const ALL_TYPES: string[] = EVENT_GROUPS.flatMap((g) => [...g.types]);

type Catalogue = { activity: { kinds: Record<string, string>; methods: Record<string, string>; older: string; newest: string } };
const catalogue = (locale: string) => JSON.parse(fs.readFileSync(path.join(__dirname, '../../../locales', `${locale}.json`), 'utf8')) as Catalogue;
const EN = catalogue('en').activity;
const DE = catalogue('de').activity;

/** As EJS escapes `<%= %>` output. */
const escapeHtml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&#34;').replace(/'/g, '&#39;');
const unescapeHtml = (s: string) => s.replace(/&#34;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');

interface EventRow {
  id: string;
  type: string;
  ip: string | null;
  user_agent: string | null;
  data: Record<string, string>;
  created_at: Date;
}

const toRow = (r: Record<string, unknown>): EventRow => ({
  id: String(r.id),
  type: r.type as string,
  ip: (r.ip as string | null) ?? null,
  user_agent: (r.user_agent as string | null) ?? null,
  data: (typeof r.data === 'string' ? JSON.parse(r.data) : r.data) as Record<string, string>,
  created_at: new Date(r.created_at as string),
});

/** Every event of an account, newest first. */
async function eventsOf(userId: string): Promise<EventRow[]> {
  return (await t.deps.db('security_events').where({ user_id: userId }).orderBy('id', 'desc')).map(toRow);
}

/** The highest event id so far: what a flow records comes after it. */
async function mark(): Promise<number> {
  const row = await t.deps.db('security_events').max('id as id').first();
  return Number(row?.id ?? 0);
}

/** The kinds each flow below was seen to record. */
const exercised = new Set<string>();

interface Expected {
  /** The User-Agent of the request that caused it; null for operator actions, which have no request. */
  userAgent: string | null;
  data?: Record<string, string>;
}

/**
 * Exactly one event of `type` for this account since `since`, from the loopback address
 * supertest connects from (or from no address at all for an operator's action).
 */
async function expectRecorded(user: { id: string }, type: SecurityEventType, since: number, expected: Expected): Promise<EventRow> {
  const rows = (await t.deps.db('security_events').where({ user_id: user.id, type }).andWhere('id', '>', since).orderBy('id', 'asc')).map(toRow);
  expect(rows.map((r) => r.type)).toEqual([type]);
  const row = rows[0] as EventRow;
  if (expected.userAgent === null) {
    expect(row.ip ?? '').toBe('');
    expect(row.user_agent ?? '').toBe('');
  } else {
    expect(row.ip).toMatch(LOOPBACK);
    expect(row.user_agent).toBe(expected.userAgent);
  }
  if (expected.data) expect(row.data).toMatchObject(expected.data);
  // Stamped by the service's clock, at the time of the flow.
  expect(row.created_at.getTime()).toBeLessThanOrEqual(t.clock.now().getTime());
  expect(row.created_at.getTime()).toBeGreaterThan(t.clock.now().getTime() - 60_000);
  exercised.add(type);
  return row;
}

/** For what is written in the background: waits up to two seconds for it to appear. */
async function eventually(user: { id: string }, type: SecurityEventType, since: number): Promise<void> {
  for (let i = 0; i < 40; i++) {
    const found = await t.deps.db('security_events').where({ user_id: user.id, type }).andWhere('id', '>', since).first();
    if (found) return;
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** JSON calls as passkeys.js makes them: the page's CSRF token in a header. */
async function json(visitor: Visitor, action: string, body: object = {}) {
  return visitor.agent.post(action).set('User-Agent', visitor.userAgent).set('Accept', 'application/json').set('X-CSRF-Token', csrfTokenIn(visitor.lastPage)).send(body);
}

const pathOf = (link: string) => new URL(link).pathname;

/** Opens an emailed link's page, then confirms it with the page's form, as a person does. */
async function follow(visitor: Visitor, link: string) {
  const page = await visitor.get(pathOf(link));
  expect(page.status).toBe(200);
  const res = await visitor.post(pathOf(link), { _csrf: csrfTokenIn(page.text) });
  expect(res.status).toBeLessThan(400);
  return res;
}

async function mailTo(address: string, subject: string) {
  await t.deliverMail();
  const found = t.mail.to(address).filter((m) => m.subject === subject);
  const message = found[found.length - 1];
  if (!message) throw new Error(`No "${subject}" mail to ${address}; have: ${t.mail.to(address).map((m) => m.subject).join(' | ') || 'none'}`);
  return message;
}

/** Creates a token through the form; returns its secret as the page shows it once. */
async function createToken(visitor: Visitor, fields: Record<string, string> = {}): Promise<string> {
  const res = await visitor.submit('/profile/tokens', { name: 'Backup script', scope: 'read', expires: '30', ...fields });
  expect(res.status).toBe(303);
  const page = await visitor.get('/profile/tokens');
  const secret = /<code id="new-secret">(pat_[0-9A-Za-z]+)<\/code>/.exec(page.text)?.[1];
  if (!secret) throw new Error('No new secret on the page');
  return secret;
}

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

/** Turns the authenticator app on through the pages; returns the secret and the recovery codes shown. */
async function enrolTotp(visitor: Visitor) {
  const setup = await visitor.get('/profile/security/totp');
  expect(setup.status).toBe(200);
  const secret = secretOnPage(setup.text);
  const res = await visitor.post('/profile/security/totp', { _csrf: csrfTokenIn(setup.text), code: totpAt(secret, t.clock.now()) });
  expect(res.headers.location).toBe('/profile/security/recovery-codes');
  const codes = await acknowledgeCodes(visitor);
  t.clock.advance(STEP);
  return { secret, codes };
}

/** Reads the recovery codes page and confirms they were saved. */
async function acknowledgeCodes(visitor: Visitor): Promise<string[]> {
  const page = await visitor.get('/profile/security/recovery-codes');
  const codes = [...page.text.matchAll(/<li><code>([0-9a-z]{5}-[0-9a-z]{5})<\/code><\/li>/g)].map((m) => m[1] as string);
  expect(codes).toHaveLength(10);
  await visitor.post('/profile/security/recovery-codes/saved', { _csrf: csrfTokenIn(page.text), saved: 'on' });
  return codes;
}

interface Shown {
  label: string;
  detail: string;
  datetime: string;
  ip: string;
  client: string;
  alarming: boolean;
}

/** The entries of the Activity tab, top to bottom. */
function entries(html: string): Shown[] {
  const list = /<ol class="activity-list">([\s\S]*?)<\/ol>/.exec(html)?.[1] ?? '';
  return list
    .split('<li class="activity')
    .slice(1)
    .map((item) => {
      const spans = [...item.replace(/<div class="activity__when[\s\S]*$/, '').matchAll(/<span class="break">([^<]*)<\/span>/g)].map((m) => m[1] as string);
      const when = /<div class="activity__when[^"]*">([\s\S]*?)<\/div>/.exec(item)?.[1] ?? '';
      const whenSpans = [...when.matchAll(/<span class="break">([^<]*)<\/span>/g)].map((m) => unescapeHtml(m[1] as string));
      return {
        label: unescapeHtml(/<strong>([^<]*)<\/strong>/.exec(item)?.[1] ?? ''),
        detail: unescapeHtml(spans[0] ?? ''),
        datetime: /<time datetime="([^"]+)"/.exec(item)?.[1] ?? '',
        ip: whenSpans[0] ?? '',
        client: whenSpans[1] ?? '',
        alarming: item.startsWith(' activity--alarming'),
      };
    });
}

/** The "Older" link of a page, unescaped, if it has one. */
function olderLink(html: string): string | undefined {
  const href = /<a [^>]*rel="next" href="([^"]+)"/.exec(html)?.[1];
  return href === undefined ? undefined : unescapeHtml(href);
}

/** What the tab shows for a stored event: its label and its time. */
const shownAs = (row: EventRow, labels = EN.kinds) => ({ label: labels[row.type], datetime: row.created_at.toISOString() });

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
    const phoneSession = (await t.deps.sessions.listByUser(user.id)).find((s) => s.data.userAgent === USER_AGENTS.iphoneSafari);
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

  it('password and email: password_changed, password_reset, recovery_email_changed/removed, email_change_requested, email_changed, email_change_undone', async () => {
    const tag = crypto.randomBytes(3).toString('hex');
    const oldEmail = `old-${tag}@example.com`;
    const newEmail = `new-${tag}@example.com`;
    const backup = `backup-${tag}@example.net`;
    const user = await createUser(t, { email: oldEmail });
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
    expect((await t.services.repos.users.findById(user.id))?.email).toBe(newEmail);
    const undoLink = linkIn(await mailTo(oldEmail, 'The email address of your Atrium account was changed'), `${ORIGIN}/undo-email-change/`);
    since = await mark();
    await follow(new Visitor(t.app, USER_AGENTS.chromeWindows), undoLink);
    await expectRecorded(user, 'email_change_undone', since, { userAgent: USER_AGENTS.chromeWindows, data: { email: oldEmail } });
    expect((await t.services.repos.users.findById(user.id))?.email).toBe(oldEmail);

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

  it('two-step verification: mfa_enabled, recovery_code_used, recovery_codes_regenerated, mfa_disabled, passkey_added, passkey_removed, mfa_reset', async () => {
    const user = await createUser(t);
    const owner = await signedIn(t, user, USER_AGENTS.firefoxLinuxArm);
    let since = await mark();
    const { secret, codes } = await enrolTotp(owner);
    await expectRecorded(user, 'mfa_enabled', since, { userAgent: USER_AGENTS.firefoxLinuxArm });

    // Password and a current code: the sign-in says how.
    const withCode = new Visitor(t.app, USER_AGENTS.iphoneSafari);
    expect((await withCode.submit('/login', { identifier: user.username, password: user.password })).headers.location).toBe('/login/2fa');
    const prompt = await withCode.get('/login/2fa');
    since = await mark();
    expect((await withCode.post('/login/2fa', { _csrf: csrfTokenIn(prompt.text), code: totpAt(secret, t.clock.now()) })).headers.location).toBe('/');
    await expectRecorded(user, 'sign_in', since, { userAgent: USER_AGENTS.iphoneSafari, data: { method: 'password+totp' } });

    // Password and a recovery code.
    const withRecovery = new Visitor(t.app, USER_AGENTS.chromeWindows);
    expect((await withRecovery.submit('/login', { identifier: user.username, password: user.password })).headers.location).toBe('/login/2fa');
    const recoveryPrompt = await withRecovery.get('/login/2fa?method=recovery');
    since = await mark();
    expect((await withRecovery.post('/login/2fa', { _csrf: csrfTokenIn(recoveryPrompt.text), recovery_code: codes[0] as string })).status).toBe(303);
    await expectRecorded(user, 'recovery_code_used', since, { userAgent: USER_AGENTS.chromeWindows });
    await expectRecorded(user, 'sign_in', since, { userAgent: USER_AGENTS.chromeWindows, data: { method: 'recovery_code' } });

    // New recovery codes from the Security tab.
    let tab = await owner.get('/profile/security');
    since = await mark();
    expect((await owner.post('/profile/security/recovery-codes', { _csrf: csrfTokenIn(tab.text) })).status).toBe(303);
    await expectRecorded(user, 'recovery_codes_regenerated', since, { userAgent: USER_AGENTS.firefoxLinuxArm });
    await acknowledgeCodes(owner);

    // Authenticator app off with a current code.
    t.clock.advance(STEP);
    tab = await owner.get('/profile/security');
    since = await mark();
    expect((await owner.post('/profile/security/totp/disable', { _csrf: csrfTokenIn(tab.text), code: totpAt(secret, t.clock.now()) })).headers.location).toBe('/profile/security');
    await expectRecorded(user, 'mfa_disabled', since, { userAgent: USER_AGENTS.firefoxLinuxArm });

    // A passkey added (the software authenticator) and removed.
    await owner.get('/profile/security');
    const options = await json(owner, '/profile/security/passkeys/options');
    expect(options.status).toBe(200);
    since = await mark();
    const added = await json(owner, '/profile/security/passkeys', { response: attest(newCredential(), options.body, ORIGIN), name: 'Work laptop' });
    expect(added.status).toBe(200);
    await expectRecorded(user, 'passkey_added', since, { userAgent: USER_AGENTS.firefoxLinuxArm, data: { name: 'Work laptop' } });
    if (added.body.redirect === '/profile/security/recovery-codes') await acknowledgeCodes(owner);
    const [passkey] = await t.services.repos.authenticators.listPasskeys(user.id);
    if (!passkey) throw new Error('no passkey');
    tab = await owner.get('/profile/security');
    since = await mark();
    expect((await owner.post(`/profile/security/passkeys/${passkey.id}/remove`, { _csrf: csrfTokenIn(tab.text) })).headers.location).toBe('/profile/security');
    await expectRecorded(user, 'passkey_removed', since, { userAgent: USER_AGENTS.firefoxLinuxArm, data: { name: 'Work laptop' } });

    // The operator's "mfa:reset" for a lost device: no request, so no address or browser.
    await enrolTotp(owner);
    since = await mark();
    await t.services.mfa.resetForUser(user.username);
    await expectRecorded(user, 'mfa_reset', since, { userAgent: null });

    const shown = entries((await (await signedIn(t, user)).get('/profile/activity')).text);
    const types = ['mfa_enabled', 'recovery_code_used', 'recovery_codes_regenerated', 'mfa_disabled', 'passkey_added', 'passkey_removed', 'mfa_reset'];
    for (const type of types) expect(shown.map((e) => e.label)).toContain(EN.kinds[type]);
    const reset = shown.find((e) => e.label === EN.kinds.mfa_reset);
    expect(reset).toMatchObject({ ip: '', client: '', alarming: true });
    expect(shown.find((e) => e.label === EN.kinds.passkey_added)?.detail).toBe('Work laptop');
    expect(shown.some((e) => e.label === EN.kinds.sign_in && e.detail.startsWith(EN.methods['password+totp'] as string))).toBe(true);
  });

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

  it('covers every kind the Activity tab knows, and each has an English and a German label', () => {
    expect([...exercised].sort()).toEqual([...ALL_TYPES].sort());
    for (const type of ALL_TYPES) {
      expect(EN.kinds[type]).toBeTruthy();
      expect(DE.kinds[type]).toBeTruthy();
    }
  });
});

describe('The Activity tab', () => {
  it('needs a signed-in user', async () => {
    const res = await new Visitor(t.app).get('/profile/activity');
    expect(res.status).toBe(303);
    expect(res.headers.location).toMatch(/^\/login/);
  });

  it('lists events newest first, with time, address, browser and system, and a label in words', async () => {
    const user = await createUser(t);
    const visitor = await signedIn(t, user, USER_AGENTS.firefoxLinuxArm);
    t.clock.advance(60_000);
    await createToken(visitor, { name: 'Nightly <export>' });
    t.clock.advance(60_000);
    const page = await visitor.get('/profile/activity');
    expect(page.status).toBe(200);
    expect(page.text).toContain('<h2 id="activity-title" class="card__title">Activity</h2>');
    const stored = await eventsOf(user.id);
    expect(stored.map((e) => e.type)).toEqual(['token_created', 'sign_in']);
    const shown = entries(page.text);
    expect(shown).toHaveLength(2);
    expect(shown.map((e) => ({ label: e.label, datetime: e.datetime }))).toEqual(stored.map((e) => shownAs(e)));
    expect(new Date(shown[0]?.datetime as string).getTime()).toBeGreaterThan(new Date(shown[1]?.datetime as string).getTime());
    expect(shown[0]).toMatchObject({ label: 'Token created', detail: 'Nightly <export>', client: 'Firefox 133 · Linux', alarming: false });
    expect(shown[1]).toMatchObject({ label: 'Signed in', detail: 'with password · new device', client: 'Firefox 133 · Linux' });
    for (const e of shown) expect(e.ip).toMatch(LOOPBACK);
    // Names are escaped, never markup.
    expect(page.text).toContain('Nightly &lt;export&gt;');
    expect(page.text).not.toContain('<export>');
    // One page only: no pager.
    expect(olderLink(page.text)).toBeUndefined();
    expect(page.text).not.toContain('class="pager"');
  });

  it('pages by keyset: 25 a page, "Older" shows the rest without repeating or skipping, and later events do not shift it', async () => {
    const user = await createUser(t);
    const viewer = await signedIn(t, user);
    const other = new Visitor(t.app, USER_AGENTS.iphoneSafari);
    for (let i = 0; i < 15; i++) {
      t.clock.advance(1_000);
      expect((await other.submit('/login', { identifier: user.username, password: user.password })).status).toBe(303);
      t.clock.advance(1_000);
      const page = await other.get('/profile/account');
      expect((await other.post('/logout', { _csrf: csrfTokenIn(page.text) })).status).toBe(303);
    }
    const stored = await eventsOf(user.id);
    expect(stored).toHaveLength(31);

    const first = await viewer.get('/profile/activity');
    expect(first.status).toBe(200);
    const firstShown = entries(first.text);
    expect(firstShown).toHaveLength(25);
    expect(firstShown.map((e) => ({ label: e.label, datetime: e.datetime }))).toEqual(stored.slice(0, 25).map((e) => shownAs(e)));
    const older = olderLink(first.text);
    expect(older).toBe(`/profile/activity?before=${stored[24]?.id}`);
    expect(first.text).toContain(`>${EN.older}</a>`);
    expect(first.text).not.toContain(`>${EN.newest}</a>`);

    // Meanwhile, more happens.
    for (let i = 0; i < 3; i++) {
      t.clock.advance(1_000);
      await other.submit('/login', { identifier: user.username, password: user.password });
      const page = await other.get('/profile/account');
      await other.post('/logout', { _csrf: csrfTokenIn(page.text) });
    }
    expect(await eventsOf(user.id)).toHaveLength(37);

    const second = await viewer.get(older as string);
    expect(second.status).toBe(200);
    const secondShown = entries(second.text);
    expect(secondShown.map((e) => ({ label: e.label, datetime: e.datetime }))).toEqual(stored.slice(25).map((e) => shownAs(e)));
    expect(olderLink(second.text)).toBeUndefined();
    expect(second.text).toContain(`href="/profile/activity">${EN.newest}</a>`);
    // Together, every stored event exactly once.
    const all = [...firstShown, ...secondShown].map((e) => e.datetime);
    expect(new Set(all).size).toBe(31);
    expect(all).toEqual(stored.map((e) => e.created_at.toISOString()));

    // The first page now starts with what happened since.
    const fresh = entries((await viewer.get('/profile/activity')).text);
    expect(fresh[0]?.datetime).toBe((await eventsOf(user.id))[0]?.created_at.toISOString());
  });

  it('ignores a cursor that is not one, without an error', async () => {
    const user = await createUser(t);
    const viewer = await signedIn(t, user);
    await createToken(viewer);
    const stored = await eventsOf(user.id);
    const everything = stored.map((e) => shownAs(e));
    const bogus = ['abc', '-1', 'x'.repeat(100), '1e3', '1.5', ' 5', '9'.repeat(19), '9'.repeat(40), "1' or '1'='1", '%00', ''];
    for (const before of bogus) {
      const res = await viewer.get(`/profile/activity?before=${encodeURIComponent(before)}`);
      expect({ before, status: res.status }).toEqual({ before, status: 200 });
      expect(entries(res.text).map((e) => ({ label: e.label, datetime: e.datetime }))).toEqual(everything);
    }
    for (const query of ['before[]=1', 'before=1&before=2', 'before[a]=1', 'kind=token_created&before[]=x']) {
      const res = await viewer.get(`/profile/activity?${query}`);
      expect({ query, status: res.status }).toEqual({ query, status: 200 });
      expect(entries(res.text).length).toBeGreaterThan(0);
    }
    // A well-formed cursor below every event: a later page with nothing on it.
    const none = await viewer.get('/profile/activity?before=1');
    expect(none.status).toBe(200);
    expect(entries(none.text)).toEqual([]);
    expect(none.text).toContain('Nothing has happened yet.');
    expect(none.text).toContain(`href="/profile/activity">${EN.newest}</a>`);
    // The largest cursor the form allows works like none at all.
    const huge = await viewer.get(`/profile/activity?before=${'9'.repeat(18)}`);
    expect(huge.status).toBe(200);
    expect(entries(huge.text).map((e) => ({ label: e.label, datetime: e.datetime }))).toEqual(everything);
  });

  it('filters by one kind and keeps the filter in the "Older" link; an unknown or malformed kind shows everything', async () => {
    const user = await createUser(t);
    const viewer = await signedIn(t, user, USER_AGENTS.firefoxLinuxArm);
    for (let i = 0; i < 27; i++) {
      t.clock.advance(1_000);
      const res = await viewer.submit('/profile/tokens', { name: `Token ${i}`, scope: 'read', expires: '30' });
      expect(res.status).toBe(303);
    }
    const tokenEvents = (await eventsOf(user.id)).filter((e) => e.type === 'token_created');
    expect(tokenEvents).toHaveLength(27);

    const first = await viewer.get('/profile/activity?kind=token_created');
    expect(first.status).toBe(200);
    expect(first.text).toContain('<option value="token_created" selected>Token created</option>');
    const firstShown = entries(first.text);
    expect(firstShown.map((e) => ({ label: e.label, datetime: e.datetime }))).toEqual(tokenEvents.slice(0, 25).map((e) => shownAs(e)));
    expect(firstShown.map((e) => e.detail)).toEqual(Array.from({ length: 25 }, (_, i) => `Token ${26 - i}`));
    const older = olderLink(first.text);
    expect(older).toBe(`/profile/activity?kind=token_created&before=${tokenEvents[24]?.id}`);

    const second = await viewer.get(older as string);
    expect(second.status).toBe(200);
    expect(second.text).toContain('<option value="token_created" selected>Token created</option>');
    expect(entries(second.text).map((e) => ({ label: e.label, datetime: e.datetime }))).toEqual(tokenEvents.slice(25).map((e) => shownAs(e)));
    expect(entries(second.text).map((e) => e.detail)).toEqual(['Token 1', 'Token 0']);
    expect(second.text).toContain(`href="/profile/activity?kind=token_created">${EN.newest}</a>`);
    expect(olderLink(second.text)).toBeUndefined();

    // Another kind: only the sign-in.
    const signIns = entries((await viewer.get('/profile/activity?kind=sign_in')).text);
    expect(signIns.map((e) => e.label)).toEqual(['Signed in']);
    const none = await viewer.get('/profile/activity?kind=ssh_key_removed');
    expect(entries(none.text)).toEqual([]);
    expect(none.text).toContain('Nothing of this kind has happened.');

    // Unknown, malformed or repeated kinds: everything, unfiltered, nothing selected.
    const everything = (await eventsOf(user.id)).slice(0, 25).map((e) => shownAs(e));
    for (const query of ['kind=nonsense', 'kind=', 'kind=SIGN_IN', 'kind=signIn', 'kind=__proto__', 'kind[]=x', 'kind[]=sign_in', 'kind=sign_in&kind=token_created', 'kind[a]=sign_in', `kind=${'x'.repeat(500)}`]) {
      const res = await viewer.get(`/profile/activity?${query}`);
      expect({ query, status: res.status }).toEqual({ query, status: 200 });
      expect(entries(res.text).map((e) => ({ label: e.label, datetime: e.datetime }))).toEqual(everything);
      expect(res.text).not.toMatch(/<option value="[a-z_]+" selected>/);
      const link = olderLink(res.text);
      expect(link).toBe(`/profile/activity?before=${(await eventsOf(user.id))[24]?.id}`);
    }
  });

  it('speaks the account holder\'s language', async () => {
    const user = await createUser(t, { language: 'de' });
    const visitor = await signedIn(t, user, USER_AGENTS.firefoxLinuxArm);
    await createToken(visitor, { name: 'Sicherung' });
    const page = await visitor.get('/profile/activity');
    expect(page.status).toBe(200);
    const shown = entries(page.text);
    expect(shown.map((e) => e.label)).toEqual([DE.kinds.token_created, DE.kinds.sign_in]);
    expect(shown.map((e) => e.label)).toEqual(['Token erstellt', 'Angemeldet']);
    expect(shown[1]?.detail).toContain(DE.methods.password as string);
    expect(page.text).toContain(escapeHtml(DE.kinds.sign_in as string));
    expect(page.text).not.toContain('Signed in');
    expect(page.text).not.toContain('Token created');
    expect(page.text).not.toContain('activity.kinds.');
    expect(page.text).toContain('lang="de"');
  });

  it('never shows another account\'s events, not by filter nor by cursor', async () => {
    const alice = await createUser(t);
    const bob = await createUser(t);
    t.clock.advance(1_000);
    const aliceBrowser = await signedIn(t, alice, USER_AGENTS.iphoneSafari);
    t.clock.advance(1_000);
    await createToken(aliceBrowser, { name: 'Alice private build' });
    t.clock.advance(1_000);
    const bobBrowser = await signedIn(t, bob, USER_AGENTS.firefoxLinuxArm);
    const aliceEvents = await eventsOf(alice.id);
    expect(aliceEvents.length).toBeGreaterThanOrEqual(2);
    const bobEvents = await eventsOf(bob.id);

    const queries = ['', '?kind=token_created', '?kind=sign_in', `?before=${Number(aliceEvents[0]?.id) + 1}`, `?kind=token_created&before=${Number(aliceEvents[0]?.id) + 1}`];
    for (const query of queries) {
      const res = await bobBrowser.get(`/profile/activity${query}`);
      expect(res.status).toBe(200);
      expect(res.text).not.toContain('Alice private build');
      expect(res.text).not.toContain('Mobile Safari');
      const shown = entries(res.text).map((e) => e.datetime);
      for (const event of aliceEvents) expect(shown).not.toContain(event.created_at.toISOString());
    }
    const own = entries((await bobBrowser.get('/profile/activity')).text);
    expect(own.map((e) => ({ label: e.label, datetime: e.datetime }))).toEqual(bobEvents.map((e) => shownAs(e)));
    expect(entries((await bobBrowser.get('/profile/activity?kind=token_created')).text)).toEqual([]);
    // And Alice still sees her own.
    expect(entries((await aliceBrowser.get('/profile/activity')).text).map((e) => e.detail)).toContain('Alice private build');
  });
});
