import { describeApp, type TestApp } from '../../helpers/app';
import { csrfTokenIn, type Visitor } from '../../helpers/browser-agent';
import { createUser, signedIn } from '../../helpers/factories';
import { totpAt } from '../../helpers/totp';
import { ctx } from '../api/api-test-helpers';

const t = describeApp();
const MINUTE = 60_000;

async function administrator(app: TestApp): Promise<Visitor> {
  return signedIn(app, await createUser(app, { admin: true }));
}

const auditRows = (app: TestApp) => app.deps.db('admin_audit').where({ action: 'policy_changed' }).orderBy('id').select('actor_username', 'data');

/** The API through the browser session, as a script on the page would (a change carries the page's CSRF token). */
async function api(visitor: Visitor, method: 'get' | 'put', body?: object) {
  const req = visitor.agent[method]('/api/v1/admin/policies').set('Accept', 'application/json');
  if (method === 'get') return req;
  const token = csrfTokenIn((await visitor.get('/admin/settings')).text);
  return req.set('X-CSRF-Token', token).send(body);
}

describe('The Policies page', () => {
  it('shows every policy in one form, saves what changed with one audit entry each, and says so', async () => {
    const admin = await administrator(t);
    const page = await admin.get('/admin/settings');
    expect(page.status).toBe(200);
    for (const name of ['two_step', 'grace_days', 'profile_locked', 'signup', 'signup_email_domains']) expect(page.text).toContain(`name="${name}"`);
    expect(page.text).not.toContain('Set by configuration');

    const saved = await admin.submit('/admin/settings', { two_step: 'everyone', grace_days: '14', profile_locked: 'on', signup: 'closed', signup_email_domains: 'Example.org\r\nexample.net, example.org' });
    expect(saved.status).toBe(303);
    expect(saved.headers.location).toBe('/admin/settings');
    const after = await admin.get('/admin/settings');
    expect(after.text).toContain('Policies saved');
    expect(after.text).toMatch(/value="everyone" checked/);
    expect(after.text).toContain('example.org\nexample.net</textarea>');
    const policies = await t.services.adminPolicies.view();
    expect(Object.fromEntries(Object.entries(policies).map(([k, p]) => [k, [p.value, p.source]]))).toEqual({
      two_step: ['everyone', 'console'],
      grace_days: [14, 'console'],
      profile_locked: [true, 'console'],
      signup: ['closed', 'console'],
      signup_email_domains: [['example.org', 'example.net'], 'console'],
    });
    const rows = await auditRows(t);
    expect(rows.map((r) => r.data)).toEqual([
      { policy: 'two_step', from: 'off', to: 'everyone' },
      { policy: 'grace_days', from: 0, to: 14 },
      { policy: 'profile_locked', from: false, to: true },
      { policy: 'signup', from: 'open', to: 'closed' },
      { policy: 'signup_email_domains', from: [], to: ['example.org', 'example.net'] },
    ]);

    // Unchanged values write nothing; an unticked box turns the lock off.
    await admin.submit('/admin/settings', { two_step: 'everyone', grace_days: '14', signup: 'closed', signup_email_domains: 'example.org\nexample.net' });
    expect((await auditRows(t)).slice(5).map((r) => r.data)).toEqual([{ policy: 'profile_locked', from: true, to: false }]);
    await t.services.adminPolicies.change(await createUser(t, { admin: true }), { two_step: 'off', grace_days: 0, signup: 'open', signup_email_domains: [] }, { ip: '', userAgent: '' });
  });

  it('asks for a fresh sign-in before saving, not before showing', async () => {
    const admin = await administrator(t);
    t.clock.advance(11 * MINUTE);
    expect((await admin.get('/admin/settings')).status).toBe(200);
    const before = (await auditRows(t)).length;
    const res = await admin.submit('/admin/settings', { two_step: 'admins', grace_days: '3', signup: 'open', signup_email_domains: '' });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/reauth?next=%2Fadmin%2Fsettings');
    expect((await api(admin, 'put', { two_step: 'admins' })).body.error.code).toBe('reauth_required');
    expect((await t.services.adminPolicies.view()).two_step.value).toBe('off');
    expect(await auditRows(t)).toHaveLength(before);
  });

  it('refuses bad input with every message at once, escaped, and changes nothing', async () => {
    const admin = await administrator(t);
    const before = (await auditRows(t)).length;
    const res = await admin.submit('/admin/settings', { two_step: 'sometimes', grace_days: '366', signup: 'maybe', signup_email_domains: 'ok.example\n<script>alert(1)</script>' });
    expect(res.status).toBe(422);
    expect(res.text).toContain('Choose who must use two-step verification');
    expect(res.text).toContain('Enter a whole number of days from 0 to 365');
    expect(res.text).toContain('Choose who can create an account');
    expect(res.text).toContain('&#34;&lt;script&gt;alert(1)&lt;/script&gt;&#34; is not a domain name like example.com');
    expect(res.text).not.toContain('<script>alert(1)');
    const hostile: Record<string, string | string[]>[] = [{ grace_days: 'abc' }, { grace_days: '-1' }, { grace_days: '1e2' }, { two_step: ['off', 'everyone'] }, { signup_email_domains: 'x'.repeat(10_001) }, { signup_email_domains: `${'a'.repeat(64)}.example` }, { profile_locked: 'yes' }];
    for (const fields of hostile) {
      const bad = await admin.submit('/admin/settings', fields);
      expect({ fields, status: bad.status }).toEqual({ fields, status: 422 });
    }
    const json = await api(admin, 'put', { two_step: 7, grace_days: 3.5, profile_locked: 'true', signup: null, signup_email_domains: ['example.com', 'bad domain'] });
    expect(json.status).toBe(422);
    expect(Object.keys(json.body.error.fields).sort()).toEqual(['grace_days', 'profile_locked', 'signup', 'signup_email_domains', 'two_step']);
    const domains = await api(admin, 'put', { signup_email_domains: ['example.com', 'bad domain'] });
    expect(domains.body.error.fields.signup_email_domains).toBe('"bad domain" is not a domain name like example.com');
    expect(await auditRows(t)).toHaveLength(before);
  });

  it('the API reads and changes the same policies, with their sources', async () => {
    const admin = await administrator(t);
    const read = await api(admin, 'get');
    expect(read.status).toBe(200);
    expect(read.body.signup).toMatchObject({ value: 'open', environment_variable: 'SIGNUP' });
    expect(['default', 'console']).toContain(read.body.signup.source);
    const put = await api(admin, 'put', { signup: 'closed' });
    expect(put.status).toBe(200);
    expect(put.body.signup).toMatchObject({ value: 'closed', source: 'console' });
    expect((await auditRows(t)).at(-1)?.data).toEqual({ policy: 'signup', from: 'open', to: 'closed' });
    await api(admin, 'put', { signup: 'open' });
  });
});

describe('With REQUIRE_2FA and SIGNUP in the environment', () => {
  const env = describeApp({ REQUIRE_2FA: 'true', SIGNUP: 'closed' });

  it('the page shows them read-only as set by configuration, and neither the page nor the API can change them', async () => {
    const adminUser = await createUser(env, { admin: true });
    const admin = await signedIn(env, adminUser);
    // Two-step verification is required of everyone: the administrator sets it up (as the Security tab would).
    const { secret, sealed } = env.services.mfa.beginTotpEnrolment(adminUser);
    await env.services.mfa.enableTotp(adminUser, sealed, totpAt(secret, env.clock.now()), ctx, false);
    const page = await admin.get('/admin/settings');
    expect(page.status).toBe(200);
    expect(page.text).toContain('Set by configuration (REQUIRE_2FA)');
    expect(page.text).toContain('Set by configuration (SIGNUP)');
    expect(page.text).not.toContain('name="two_step"');
    expect(page.text).not.toContain('name="signup"');
    expect(page.text).toContain('name="grace_days"');

    const forged = await admin.submit('/admin/settings', { two_step: 'off', signup: 'open', grace_days: '0' });
    expect(forged.status).toBe(422);
    expect(forged.text).toContain('This policy is set by configuration (REQUIRE_2FA) and can only be changed there');
    const read = await api(admin, 'get');
    expect(read.body.two_step).toMatchObject({ value: 'everyone', source: 'configuration', environment_variable: 'REQUIRE_2FA' });
    const refused = await api(admin, 'put', { signup: 'open' });
    expect(refused.status).toBe(422);
    expect(refused.body.error.fields.signup).toBe('This policy is set by configuration (SIGNUP) and can only be changed there');
    expect((await api(admin, 'put', { signup: 'closed', grace_days: 5 })).status).toBe(200);
    expect((await env.services.adminPolicies.view()).signup).toMatchObject({ value: 'closed', source: 'configuration' });
  });
});
