import { describeApp } from '../../helpers/app';
import { createUser, signedIn } from '../../helpers/factories';
import { apiHelpers } from '../api/api-test-helpers';

const t = describeApp();
const { api, tokenFor } = apiHelpers(t);

describe('Tokens with the admin scope', () => {
  it('an administrator is offered "Administration" on the Tokens tab, creates such a token, and sees its scope in the list', async () => {
    const admin = await createUser(t, { admin: true });
    const browser = await signedIn(t, admin);
    const tab = await browser.get('/profile/tokens');
    expect(tab.text).toContain('value="admin"');
    expect(tab.text).toContain('Also the administration API: people, policies and the audit log.');

    const created = await browser.submit('/profile/tokens', { name: 'Console script', scope: 'admin', expires: '30', allowed_ips: '' });
    expect(created.status).toBe(303);
    const [token] = await t.services.apiTokens.list(admin);
    expect(token?.scope).toBe('admin');
    const list = await browser.get('/profile/tokens');
    expect(list.text).toMatch(/<h3 class="break">Console script<\/h3>\s*<span class="row__meta">\s*<span class="badge">Administration<\/span>/);
  });

  it('anyone else is not offered it, and is refused it with 422 in words, from the form and from the API', async () => {
    const person = await createUser(t, { language: 'de' });
    const browser = await signedIn(t, person);
    const tab = await browser.get('/profile/tokens');
    expect(tab.text).not.toContain('value="admin"');
    // App passwords never offer it, not even to administrators.
    const admin = await createUser(t, { admin: true });
    expect((await (await signedIn(t, admin)).get('/profile/app-passwords')).text).not.toContain('value="admin"');

    const fromForm = await browser.submit('/profile/tokens', { name: 'Sneaky', scope: 'admin', expires: '30', allowed_ips: '' });
    expect(fromForm.status).toBe(422);
    expect(fromForm.text).toContain('Nur Administratoren können Token mit dem Zugriff „Verwaltung“ erstellen.');

    const fromApi = await api('post', '/users/me/tokens', await tokenFor(person, 'write')).send({ name: 'Sneaky', scope: 'admin', expires_in_days: 7, current_password: person.password });
    expect(fromApi.status).toBe(422);
    expect(fromApi.body.error.fields).toEqual({ scope: 'Only administrators can create tokens with the Administration scope.' });
    // The service itself refuses it too, whoever calls it.
    await expect(t.services.apiTokens.create(person, { name: 'Direct', scope: 'admin', expires: '30' }, { ip: '127.0.0.1', userAgent: 'test', locale: 'en' })).rejects.toMatchObject({ status: 422 });
    expect((await t.services.apiTokens.list(person)).map((token) => token.scope)).toEqual(['write']);
  });

  it('an administrator creates one through the API as well', async () => {
    const admin = await createUser(t, { admin: true });
    const res = await api('post', '/users/me/tokens', await tokenFor(admin, 'write')).send({ name: 'From a script', scope: 'admin', expires_in_days: 7, current_password: admin.password });
    expect(res.status).toBe(201);
    expect(res.body.scope).toBe('admin');
    expect((await api('get', '/admin/audit', res.body.token)).status).toBe(200);
  });

  it('does what a write token does, and calls the admin API, which a read or write token of the same administrator may not', async () => {
    const admin = await createUser(t, { admin: true });
    const secret = await tokenFor(admin, 'admin');
    const renamed = await api('put', '/users/me', secret).send({ first_name: 'Grace', last_name: 'Hopper' });
    expect(renamed.status).toBe(200);
    expect((await t.repos.users.findById(admin.id))?.firstName).toBe('Grace');
    expect((await api('get', '/admin/audit', secret)).status).toBe(200);

    for (const scope of ['read', 'write'] as const) {
      const res = await api('get', '/admin/audit', await tokenFor(admin, scope));
      expect({ scope, status: res.status, code: res.body.error?.code }).toEqual({ scope, status: 403, code: 'insufficient_scope' });
      expect(res.body.error.message).toBe('This token does not have the Administration scope.');
    }
  });

  it('stops reaching the admin API (404, as for anyone) once its owner is no longer an administrator, and keeps its write access', async () => {
    const admin = await createUser(t, { admin: true });
    const secret = await tokenFor(admin, 'admin');
    expect((await api('get', '/admin/audit', secret)).status).toBe(200);

    await t.repos.users.setRole(admin.id, 'user', t.clock.now());
    const refused = await api('get', '/admin/audit', secret);
    expect(refused.status).toBe(404);
    expect(refused.body.error.code).toBe('not_found');
    expect((await api('put', '/users/me', secret).send({ first_name: 'Plain', last_name: 'User' })).status).toBe(200);

    await t.repos.users.setRole(admin.id, 'admin', t.clock.now());
    expect((await api('get', '/admin/audit', secret)).status).toBe(200);
  });
});
