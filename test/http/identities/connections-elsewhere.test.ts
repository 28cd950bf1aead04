// Where else a person's connected identities show: their data export, and the console's
// person page and JSON, each with what the provider said and never a token.
import { createUser, signedIn } from '../../helpers/factories';
import { describeAppWithProviders, throughProvider } from '../../helpers/identity-providers';

const t = describeAppWithProviders([{ id: 'corp', name: 'Corp SSO' }]);

/** A person with a password who connected Corp SSO through the provider, in their browser. */
async function connectedPerson(sub: string) {
  await t.providers.corp!.addAccount({ sub, email: `${sub}@corp.example`, email_verified: true, name: 'Cora Corporate' });
  const user = await createUser(t);
  const visitor = await signedIn(t, user);
  expect((await throughProvider(visitor, '/profile/connections', '/profile/connections/corp/connect', { sub })).headers.location).toBe('/profile/connections');
  return { user, visitor };
}

describe('Connected identities elsewhere', () => {
  it('are in the data export with the person\'s own identifiers at the provider', async () => {
    const { user, visitor } = await connectedPerson('export-sub');
    await t.repos.identities.insert({ userId: user.id, provider: 'gone', issuer: 'https://old-idp.example.com', subject: 'old-sub', email: null, displayName: null, now: t.clock.now() });
    const res = await visitor.get('/profile/data/export');
    expect(res.status).toBe(200);
    const data = JSON.parse(res.text) as { identities: unknown[] };
    const at = expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/);
    expect(data.identities).toEqual([
      { provider: 'corp', provider_name: 'Corp SSO', issuer: t.providers.corp!.issuer, subject: 'export-sub', email: 'export-sub@corp.example', name: 'Cora Corporate', created_at: at, last_used_at: at },
      { provider: 'gone', provider_name: 'gone', issuer: 'https://old-idp.example.com', subject: 'old-sub', email: null, name: null, created_at: at, last_used_at: at },
    ]);
    expect(res.text).not.toMatch(/"(id_token|access_token|refresh_token|token)"/);
  });

  it('are on the console\'s person page and in its JSON', async () => {
    const { user } = await connectedPerson('console-sub');
    const admin = await createUser(t, { admin: true });
    const browser = await signedIn(t, admin);
    const page = await browser.get(`/admin/users/${user.username}`);
    expect(page.status).toBe(200);
    expect(page.text).toMatch(/<dt>Connections<\/dt><dd>[\s\S]*?<strong>Corp SSO<\/strong> · console-sub@corp\.example[\s\S]*?Connected <time[\s\S]*?Last used <time/);
    const none = await browser.get(`/admin/users/${admin.username}`);
    expect(none.text).toMatch(/<dt>Connections<\/dt><dd>\s*<span class="muted">/);

    const json = await browser.agent.get(`/api/v1/admin/users/${user.username}`).set('Accept', 'application/json').set('X-CSRF-Token', browser.csrf());
    expect(json.status).toBe(200);
    expect(json.body.identities).toEqual([{ id: expect.any(String), provider: 'corp', provider_name: 'Corp SSO', email: 'console-sub@corp.example', name: 'Cora Corporate', created_at: expect.any(String), last_used_at: expect.any(String) }]);
  });
});
