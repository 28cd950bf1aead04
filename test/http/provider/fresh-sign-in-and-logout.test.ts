import * as oidc from 'openid-client';
import { describeApp } from '../../helpers/app';
import { csrfTokenIn, Visitor } from '../../helpers/browser-agent';
import { createUser, signedIn } from '../../helpers/factories';
import { enrolTotp } from '../../helpers/mfa';
import { totpAt } from '../../helpers/totp';
import { authorizationRequest, exchange, ISSUER, describeApplication, walk } from '../../helpers/relying-party';

describe('an application asks for a fresh sign-in, two-step applies, and it signs the person out', () => {
  const t = describeApp();
  const rp = describeApplication(t, { name: 'Payroll', postLogoutRedirectUris: ['https://app.example/signed-out'] });

  /** A person signed in here who allowed the application, and the application's tokens (its ID token is the logout hint). */
  async function signedInToTheApplication() {
    const user = await createUser(t);
    const visitor = await signedIn(t, user);
    const request = await authorizationRequest(rp.config, rp.app);
    const tokens = await exchange(rp.config, request, (await walk(visitor, request.path, { consent: 'allow' })).left as URL);
    return { visitor, tokens };
  }

  /** Submits the library's logout form on `html` (its action and xsrf value) with the button's fields. */
  async function answerLogout(visitor: Visitor, html: string, button: Record<string, string>) {
    const form = /<form id="op.logoutForm" method="post" action="([^"]+)"><input type="hidden" name="xsrf" value="([^"]+)"/.exec(html);
    expect(form).not.toBeNull();
    return visitor.post(new URL(form?.[1] as string, ISSUER).pathname, { xsrf: form?.[2] as string, ...button });
  }

  it('signs in through two-step verification when the person has it, and says so in amr', async () => {
    const user = await createUser(t, { emailVerified: true });
    const { secret } = await enrolTotp(t, await signedIn(t, user));
    const request = await authorizationRequest(rp.config, rp.app);
    const result = await walk(new Visitor(t.app), request.path, {
      signIn: { identifier: user.username, password: user.password },
      secondFactor: () => totpAt(secret, t.clock.now()),
      consent: 'allow',
    });
    expect(result.trail).toEqual(expect.arrayContaining(['sign-in', 'second-factor', 'consent:allow']));
    const claims = (await exchange(rp.config, request, result.left as URL)).claims();
    expect(claims?.amr).toEqual(['pwd', 'otp', 'mfa']);
  });

  it('sends a person signed in long ago to the re-authentication page for max_age, and the ID token carries the new auth_time', async () => {
    const user = await createUser(t);
    const visitor = await signedIn(t, user);
    await walk(visitor, (await authorizationRequest(rp.config, rp.app)).path, { consent: 'allow' });
    t.clock.advance(10 * 60_000);

    const stale = await authorizationRequest(rp.config, rp.app, { max_age: '300' });
    const stopped = await walk(visitor, stale.path);
    expect(stopped.trail.at(-1)).toMatch(/^\/reauth\?next=%2Finteraction%2F/);

    const request = await authorizationRequest(rp.config, rp.app, { max_age: '300' });
    const result = await walk(visitor, request.path, { reauth: user.password });
    expect(result.trail).toContain('reauth');
    const claims = (await exchange(rp.config, request, result.left as URL, { maxAge: 300 })).claims();
    expect(claims?.auth_time).toBe(Math.floor(t.clock.now().getTime() / 1000));
  });

  it('asks for the password again on prompt=login even right after signing in, and a second factor when the person has one', async () => {
    const user = await createUser(t);
    const visitor = await signedIn(t, user);
    const { secret } = await enrolTotp(t, visitor);
    const request = await authorizationRequest(rp.config, rp.app, { prompt: 'login consent' });
    const result = await walk(visitor, request.path, { reauth: user.password, secondFactor: () => totpAt(secret, t.clock.now()), consent: 'allow' });
    expect(result.trail).toEqual(expect.arrayContaining(['reauth', 'consent:allow']));
    expect(result.left?.searchParams.get('code')).toBeTruthy();
  });

  it('tells the application access_denied when the person cancels the re-authentication', async () => {
    const user = await createUser(t);
    const visitor = await signedIn(t, user);
    const request = await authorizationRequest(rp.config, rp.app, { prompt: 'login' });
    const stopped = await walk(visitor, request.path);
    const reauth = stopped.page?.text ?? '';
    const cancel = /<a class="button button--block button--ghost" href="([^"]+)">/.exec(reauth)?.[1] as string;
    expect(cancel).toMatch(/^\/interaction\//);
    const result = await walk(visitor, cancel);
    expect(result.left?.searchParams.get('error')).toBe('access_denied');
  });

  it('refuses a wrong password on the way, and the application gets nothing', async () => {
    const user = await createUser(t);
    const visitor = await signedIn(t, user);
    const request = await authorizationRequest(rp.config, rp.app, { prompt: 'login' });
    const result = await walk(visitor, request.path, { reauth: 'not the password at all' });
    expect(result.left).toBeUndefined();
    expect(result.page?.status).toBe(422);
  });

  it('signs the person out of this service when the application asks (RP-initiated logout), after they confirm on its page', async () => {
    const { visitor, tokens } = await signedInToTheApplication();
    const end = oidc.buildEndSessionUrl(rp.config, { id_token_hint: tokens.id_token as string, post_logout_redirect_uri: 'https://app.example/signed-out', state: 'bye' });

    const page = await visitor.get(end.pathname + end.search);
    expect(page.status).toBe(200);
    expect(page.text).toContain('Payroll');
    // The confirmation's answer is a redirect to the application: that page's form-action admits its registered address.
    expect(page.headers['content-security-policy']).toMatch(/form-action 'self' https:\/\/app\.example(;| |$)/);
    const confirmed = await answerLogout(visitor, page.text, { logout: 'yes' });
    expect(confirmed.status).toBe(303);
    const back = new URL(confirmed.headers.location as string);
    expect(back.origin + back.pathname).toBe('https://app.example/signed-out');
    expect(back.searchParams.get('state')).toBe('bye');
    expect((await visitor.get('/profile/account')).status).toBe(303);
  });

  it('keeps the person signed in here when they answer "No, stay signed in"', async () => {
    const { visitor, tokens } = await signedInToTheApplication();
    const end = oidc.buildEndSessionUrl(rp.config, { id_token_hint: tokens.id_token as string, post_logout_redirect_uri: 'https://app.example/signed-out' });
    const page = await visitor.get(end.pathname + end.search);
    const answered = await answerLogout(visitor, page.text, {});
    expect(answered.status).toBe(303);
    expect((await visitor.get('/profile/account')).status).toBe(200);
  });

  it('refuses a post_logout_redirect_uri the application did not register, and ends nothing without the confirmation', async () => {
    const { visitor, tokens } = await signedInToTheApplication();
    const end = oidc.buildEndSessionUrl(rp.config, { id_token_hint: tokens.id_token as string, post_logout_redirect_uri: 'https://evil.example/' });
    const page = await visitor.get(end.pathname + end.search);
    expect(page.status).toBe(400);
    expect(page.headers.location).toBeUndefined();
    expect(page.text).toContain('incomplete or not valid');
    expect((await visitor.get('/profile/account')).status).toBe(200);
    expect(csrfTokenIn((await visitor.get('/profile/account')).text)).toBeTruthy();
  });
});
