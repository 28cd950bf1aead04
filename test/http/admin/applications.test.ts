import request from 'supertest';
import { describeApp } from '../../helpers/app';
import { csrfTokenIn } from '../../helpers/browser-agent';
import { grantFor, tokenUnder, allowedClientIds } from '../../helpers/connected-apps';
import { createUser, signedIn } from '../../helpers/factories';
import { inspectHtml, payloadsWithin, showsVerbatim } from '../../fuzz/xss-payloads';

const t = describeApp();

const MINUTE = 60_000;
const tag = () => Math.random().toString(36).slice(2, 8);

async function console_() {
  const admin = await createUser(t, { admin: true });
  const browser = await signedIn(t, admin);
  return { admin, browser };
}

/** A JSON column as an object, whichever back-end read it. */
const json = (value: unknown) => (typeof value === 'string' ? JSON.parse(value) : value);

async function storedApp(name: string) {
  const row = await t.deps.db('oidc_clients').where({ name }).first();
  return row && { ...row, public: Boolean(row.public), redirect_uris: json(row.redirect_uris), post_logout_redirect_uris: json(row.post_logout_redirect_uris) };
}

async function auditRows(action: string, clientId: string) {
  const rows = await t.deps.db('admin_audit').where({ action }).orderBy('id');
  return rows.map((row) => ({ ...row, data: json(row.data) })).filter((row) => row.data.client_id === clientId);
}

/** The text of a value the page shows once, by its element id; undefined when it is not there. */
const shown = (html: string, id: string) => new RegExp(`<code id="${id}">([^<]*)</code>`).exec(html)?.[1];

/** A field's error message, as the page puts it under the field's label. */
const fieldError = (html: string, name: string) => new RegExp(`<p class="field__error" id="field-${name}-error">([\\s\\S]*?)</p>`).exec(html)?.[1]?.replace(/<[^>]+>[^<]*<\/span>/, '').trim();

describe('An administrator registers an application in the console', () => {
  it('a confidential one: its client_id and secret are shown once, with the issuer; the database keeps the secret encrypted', async () => {
    const { admin, browser } = await console_();
    const page = await browser.get('/admin/applications');
    expect(page.status).toBe(200);
    expect(page.text).toContain('<h1 id="page-title" class="profile__title">Applications</h1>');
    expect(page.text).toContain('Register an application');
    expect((await browser.get('/admin/users')).text).toContain('href="/admin/applications"');

    const name = `Team Wiki ${tag()}`;
    const res = await browser.submit('/admin/applications', { name: `  ${name} `, redirect_uris: 'https://wiki.example.com/cb\r\n\r\n  https://wiki.example.com/cb2 \r\nhttps://wiki.example.com/cb', post_logout_redirect_uris: 'https://wiki.example.com/' });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/admin/applications');

    const row = await storedApp(name);
    expect(row).toMatchObject({ public: false, redirect_uris: ['https://wiki.example.com/cb', 'https://wiki.example.com/cb2'], post_logout_redirect_uris: ['https://wiki.example.com/'] });
    const once = await browser.get('/admin/applications');
    expect(once.text).toContain(`${name} is registered`);
    expect(once.text).toContain('will not be shown again');
    expect(shown(once.text, 'app-client-id')).toBe(row.client_id);
    const secret = shown(once.text, 'app-client-secret') as string;
    expect(secret).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(shown(once.text, 'app-issuer')).toBe('http://localhost:3000');
    expect(shown(once.text, 'app-discovery')).toBe('http://localhost:3000/.well-known/openid-configuration');
    expect(JSON.stringify(row)).not.toContain(secret);
    expect(row.secret_ciphertext).toMatch(/^v1:/);

    // The secret shown is the one the provider checks: a wrong one is refused as such, the right one gets to the code.
    const token = (password: string) => request(t.app).post('/oidc/token').auth(row.client_id, password).type('form').send({ grant_type: 'authorization_code', code: 'no-such-code', redirect_uri: 'https://wiki.example.com/cb', code_verifier: 'v'.repeat(43) });
    expect((await token(secret)).body.error).toBe('invalid_grant');
    expect((await token(`${secret}x`)).body.error).toBe('invalid_client');

    const reloaded = await browser.get('/admin/applications');
    expect(reloaded.text).not.toContain(secret);
    expect(reloaded.text).not.toContain('app-client-secret');
    expect(reloaded.text).not.toContain('is registered');
    expect(reloaded.text).toContain(row.client_id);
    expect(reloaded.text).toContain('<code>https://wiki.example.com/cb2</code>');
    expect(reloaded.text).toContain('Confidential');
    expect(reloaded.text).toContain('Nobody has allowed it yet');

    expect(await auditRows('application_registered', row.client_id)).toEqual([expect.objectContaining({ actor_id: admin.id, actor_username: admin.username, target_id: null, data: { client_id: row.client_id, client_name: name } })]);
  });

  it('a public one: no secret, its client_id, issuer and discovery document once; a native app may use its own scheme', async () => {
    const { browser } = await console_();
    const name = `Phone app ${tag()}`;
    const res = await browser.submit('/admin/applications', { name, redirect_uris: 'com.example.app:/callback\nhttp://127.0.0.1/cb', public: 'on' });
    expect(res.status).toBe(303);
    const row = await storedApp(name);
    expect(row).toMatchObject({ public: true, secret_ciphertext: null, redirect_uris: ['com.example.app:/callback', 'http://127.0.0.1/cb'], post_logout_redirect_uris: [] });
    const once = await browser.get('/admin/applications');
    expect(shown(once.text, 'app-client-id')).toBe(row.client_id);
    expect(shown(once.text, 'app-client-secret')).toBeUndefined();
    expect(once.text).toContain('A public application has no secret');
    expect(shown(once.text, 'app-discovery')).toBe('http://localhost:3000/.well-known/openid-configuration');
    const reloaded = await browser.get('/admin/applications');
    expect(reloaded.text).not.toContain('app-client-id');
    expect(reloaded.text).toContain('Public: PKCE without a secret');
  });

  it.each([
    ['a missing name', { name: '' }, 'name', 'Give the application a name.'],
    ['an overlong name', { name: 'x'.repeat(81) }, 'name', 'The name can be at most 80 characters long.'],
    ['control characters in the name', { name: 'Wiki\u0007\u001b[31m' }, 'name', 'Must not contain line breaks or control characters'],
    ['no redirect URI', { redirect_uris: ' \r\n \r\n' }, 'redirect_uris', 'Give at least one redirect URI.'],
    ['http on another machine', { redirect_uris: 'http://example.com/cb' }, 'redirect_uris', 'A redirect URI must use https'],
    ['a script URL', { redirect_uris: 'javascript:alert(1)', public: 'on' }, 'redirect_uris', 'A redirect URI must use https'],
    ['a 10 000-character textarea', { redirect_uris: `https://app.example/${'x'.repeat(9980)}` }, 'redirect_uris', 'A redirect URI must use https'],
    ['a native scheme for a confidential app', { redirect_uris: 'com.example.app:/callback' }, 'redirect_uris', 'A redirect URI must use https'],
    ['a fragment after sign-out', { post_logout_redirect_uris: 'https://app.example/#bye' }, 'post_logout_redirect_uris', 'A redirect URI must use https'],
    ['21 redirect URIs', { redirect_uris: Array.from({ length: 21 }, (_, i) => `https://app.example/${i}`).join('\n') }, 'redirect_uris', 'At most 20 redirect URIs.'],
  ])('refuses %s with 422, the message beside its field and what was typed kept', async (_case, change, field, message) => {
    const { browser } = await console_();
    const name = `Refused ${tag()}`;
    const fields: Record<string, string> = { name, redirect_uris: 'https://app.example/cb', post_logout_redirect_uris: 'https://app.example/', ...change };
    const res = await browser.submit('/admin/applications', fields);
    expect(res.status).toBe(422);
    expect(fieldError(res.text, field)).toContain(message);
    expect(res.text).toContain('<details class="create" id="new-application" open>');
    for (const [key, value] of Object.entries(fields).filter(([key]) => key !== 'public')) {
      // The form echoes up to 1,000 characters of a field; the page escapes them.
      const echoed = value.slice(0, 1000).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&#34;').replace(/'/g, '&#39;');
      expect({ key, kept: res.text.includes(key === 'name' ? `value="${echoed}"` : `>${echoed}</textarea>`) }).toEqual({ key, kept: true });
    }
    expect(/name="public" value="on" checked/.test(res.text)).toBe(fields.public === 'on');
    expect(await t.deps.db('oidc_clients').whereLike('name', 'Refused%')).toEqual([]);
  });

  it('says every problem at once, in the administrator\'s language, and answers hostile shapes with words, never a 500', async () => {
    const admin = await createUser(t, { admin: true, language: 'de' });
    const browser = await signedIn(t, admin);
    const res = await browser.submit('/admin/applications', { name: '', redirect_uris: 'http://example.com/cb', post_logout_redirect_uris: 'javascript:alert(1)' });
    expect(res.status).toBe(422);
    const de = t.deps.catalogues.translator('de');
    expect(fieldError(res.text, 'name')).toBe(de('provider.apps.errors.nameRequired'));
    expect(fieldError(res.text, 'redirect_uris')).toBe(de('provider.apps.errors.redirectInvalid').replace(/'/g, '&#39;'));
    expect(fieldError(res.text, 'post_logout_redirect_uris')).toBe(de('provider.apps.errors.redirectInvalid').replace(/'/g, '&#39;'));

    const hostile: Array<Record<string, string | string[]>> = [
      { name: ['a', 'b'], redirect_uris: 'https://app.example/cb' },
      { name: 'Hostile', redirect_uris: ['https://app.example/cb', 'https://app.example/cb2'] },
      { name: 'Hostile', redirect_uris: 'https://app.example/cb', public: 'yes' },
      { name: 'Hostile', redirect_uris: 'https://app.example/\u0000' },
      { name: 'Hostile', redirect_uris: 'https://app.example/a\tb' },
    ];
    for (const body of hostile) {
      const answer = await browser.submit('/admin/applications', body);
      expect({ body, status: answer.status }).toEqual({ body, status: 422 });
    }
    const form = await browser.get('/admin/applications');
    for (const body of [{ name: 'Hostile', redirect_uris: ['https://app.example/\u0000'] }, { name: 'Hostile', redirect_uris: ['https://app.example/\ud800'] }]) {
      const answer = await browser.agent.post('/admin/applications').set('Accept', 'text/html').set('X-CSRF-Token', csrfTokenIn(form.text)).send(body);
      expect({ body, status: answer.status }).toEqual({ body, status: 422 });
    }
    expect(await t.deps.db('oidc_clients').where({ name: 'Hostile' })).toEqual([]);
  });

  it('shows names with markup in them as text, in the list and in the audit log', async () => {
    const { browser } = await console_();
    const names = payloadsWithin(80);
    for (const name of names) expect((await browser.submit('/admin/applications', { name, redirect_uris: 'https://app.example/cb' })).status).toBe(303);
    for (const path of ['/admin/applications', '/admin/audit?kind=application_registered']) {
      const inspected = inspectHtml((await browser.get(path)).text, path);
      expect(inspected.problems).toEqual([]);
      if (path === '/admin/applications') expect(names.filter((name) => !showsVerbatim(inspected, name))).toEqual([]);
    }
  });
});

describe('An administrator removes an application', () => {
  it('after a confirmation, with every grant and token it held; the audit log shows the registration and the removal', async () => {
    const { admin, browser } = await console_();
    const name = `Old CRM ${tag()}`;
    await browser.submit('/admin/applications', { name, redirect_uris: 'https://crm.example/cb' });
    const { client_id: clientId } = await storedApp(name);
    const people = [await createUser(t), await createUser(t)];
    for (const person of people) await tokenUnder(t, person.id, clientId, await grantFor(t, person.id, clientId));

    const page = await browser.get('/admin/applications');
    expect(page.text).toContain('Allowed by 2 people');
    const action = `/admin/applications/${clientId}/remove`;
    const confirm = new RegExp(`<details class="confirm">\\s*<summary[^>]*aria-label="Remove ${name}">Remove</summary>\\s*<form method="post" action="${action}"[\\s\\S]*?can no longer sign anyone in[\\s\\S]*?Yes, remove it</button>`);
    expect(page.text).toMatch(confirm);

    const removed = await browser.post(action, { _csrf: csrfTokenIn(page.text) });
    expect(removed.status).toBe(303);
    expect(removed.headers.location).toBe('/admin/applications');
    const after = await browser.get('/admin/applications');
    expect(after.text).toContain(`${name} is removed, with every grant and token it held.`);
    expect(after.text).not.toContain(action);
    expect(await storedApp(name)).toBeUndefined();
    expect(await t.deps.db('oidc_payloads').where({ client_id: clientId })).toEqual([]);
    for (const person of people) expect(await allowedClientIds(t, person.id)).toEqual([]);
    expect(await auditRows('application_removed', clientId)).toEqual([expect.objectContaining({ actor_id: admin.id, data: { client_id: clientId, client_name: name } })]);

    const again = await browser.post(action, { _csrf: csrfTokenIn(after.text) });
    expect(again.status).toBe(404);
    expect(await auditRows('application_removed', clientId)).toHaveLength(1);

    const log = (await browser.get(`/admin/audit?administrator=${admin.username}`)).text;
    expect(log).toContain('Application registered');
    expect(log).toContain('Application removed');
    expect(log).toContain(`client_id: ${clientId}, client_name: ${name}`);
  });
});

describe('The Applications page and its doors', () => {
  it('asks an administrator whose sign-in is old to confirm it first, keeping the form, and registers or removes nothing until then', async () => {
    const { admin, browser } = await console_();
    const name = `Later ${tag()}`;
    await browser.submit('/admin/applications', { name: `${name} kept`, redirect_uris: 'https://kept.example/cb' });
    const { client_id: kept } = await storedApp(`${name} kept`);
    const form = await browser.get('/admin/applications');
    t.clock.advance(11 * MINUTE);

    const gated = await browser.post('/admin/applications', { _csrf: csrfTokenIn(form.text), name, redirect_uris: 'https://later.example/cb', public: 'on' });
    expect(gated.headers.location).toBe('/reauth?next=%2Fadmin%2Fapplications');
    const removal = await browser.post(`/admin/applications/${kept}/remove`, { _csrf: csrfTokenIn(form.text) });
    expect(removal.headers.location).toBe('/reauth?next=%2Fadmin%2Fapplications');
    expect(await storedApp(name)).toBeUndefined();
    expect(await storedApp(`${name} kept`)).toBeDefined();

    await browser.submit('/reauth?next=%2Fadmin%2Fapplications', { password: admin.password, next: '/admin/applications' }, '/reauth');
    const again = await browser.get('/admin/applications');
    expect(again.text).toContain(`value="${name}"`);
    expect(again.text).toContain('>https://later.example/cb</textarea>');
    expect(again.text).toMatch(/name="public" value="on" checked/);
  });

  it('is 404 for everyone but administrators', async () => {
    const person = await createUser(t);
    const theirs = await signedIn(t, person);
    const { browser } = await console_();
    await browser.submit('/admin/applications', { name: `Theirs ${tag()}`, redirect_uris: 'https://app.example/cb' });
    const [app] = await t.services.applications.list();
    expect((await theirs.get('/admin/applications')).status).toBe(404);
    await theirs.get('/profile/account');
    expect((await theirs.post('/admin/applications', { _csrf: theirs.csrf(), name: 'Sneaky', redirect_uris: 'https://evil.example/cb' })).status).toBe(404);
    expect((await theirs.post(`/admin/applications/${app?.clientId}/remove`, { _csrf: theirs.csrf() })).status).toBe(404);
    expect((await theirs.get('/admin/users')).text).not.toContain('href="/admin/applications"');
    expect((await request(t.app).get('/admin/applications')).status).toBe(404);
    expect(await t.deps.db('oidc_clients').where({ name: 'Sneaky' })).toEqual([]);
    expect(await t.services.applications.list()).toContainEqual(expect.objectContaining({ clientId: app?.clientId }));
  });
});
