import { Visitor, csrfTokenIn } from '../../helpers/browser-agent';
import { createUser, signedIn } from '../../helpers/factories';
import { enrolTotp } from '../../helpers/mfa';
import { describeAppWithProviders, signInWithProvider } from '../../helpers/identity-providers';
import { totpAt } from '../../helpers/totp';

const ALICE = { sub: 'alice-sub', email: 'alice@corp.example', email_verified: true, given_name: 'Alice', family_name: 'Liddell', name: 'Alice Liddell', preferred_username: 'alice' };

const t = describeAppWithProviders([{ id: 'corp', name: 'Corp SSO', accounts: [ALICE] }], {}, { mail: true });

async function connectedUser(sub: string, spec: Parameters<typeof createUser>[1] = {}) {
  const user = await createUser(t, spec);
  await t.repos.identities.insert({ userId: user.id, provider: 'corp', issuer: t.providers.corp!.issuer, subject: sub, email: null, displayName: null, now: t.clock.now() });
  return user;
}

describe('Signing in with an identity provider', () => {
  it('offers one button per provider on the sign-in and sign-up pages, as forms that work without JavaScript', async () => {
    const visitor = new Visitor(t.app);
    for (const page of ['/login', '/signup']) {
      const res = await visitor.get(page);
      expect(res.text).toContain('Continue with Corp SSO');
      expect(res.text).toMatch(/<form method="post" action="\/auth\/oidc\/corp\/start">/);
    }
  });

  it('signs a returning person in, matched by the provider and subject, and records how', async () => {
    await t.providers.corp!.addAccount({ sub: 'bob-sub', email: 'someone-else@corp.example', email_verified: true, name: 'Bob' });
    const bob = await connectedUser('bob-sub');
    const visitor = new Visitor(t.app);
    const back = await signInWithProvider(visitor, 'corp', { sub: 'bob-sub' });
    expect(back.status).toBe(303);
    expect(back.headers.location).toBe('/');

    const sessions = await visitor.get('/profile/sessions');
    expect(sessions.status).toBe(200);
    expect(sessions.text).toContain('Corp SSO');
    const activity = await visitor.get('/profile/activity');
    expect(activity.text).toContain('with Corp SSO');

    const [identity] = await t.repos.identities.listByUser(bob.id);
    expect(identity?.email).toBe('someone-else@corp.example');
    expect(identity?.lastUsedAt).not.toBeNull();
  });

  it('still asks for the second step of a person who has one, and names both steps', async () => {
    await t.providers.corp!.addAccount({ sub: 'carol-sub', email: 'carol@corp.example', email_verified: true });
    const carol = await connectedUser('carol-sub');
    const { secret } = await enrolTotp(t, await signedIn(t, carol));
    const visitor = new Visitor(t.app);
    const back = await signInWithProvider(visitor, 'corp', { sub: 'carol-sub' });
    expect(back.headers.location).toBe('/login/2fa');
    const page = await visitor.get('/login/2fa');
    const done = await visitor.post('/login/2fa', { _csrf: csrfTokenIn(page.text), code: totpAt(secret, t.clock.now()) });
    expect(done.status).toBe(303);
    expect((await visitor.get('/profile/sessions')).text).toContain('Corp SSO and authenticator code');
  });
});
