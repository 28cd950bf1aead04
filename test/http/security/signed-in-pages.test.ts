import request from 'supertest';
import { describeApp } from '../../helpers/app';
import { Visitor, csrfTokenIn } from '../../helpers/browser-agent';
import { createUser, signedIn } from '../../helpers/factories';
import { linkIn } from '../../helpers/mail-catcher';
import { concretePath, liveRoutes } from '../../helpers/route-list';
import { totpAt } from '../../helpers/totp';

const ctx = { ip: '127.0.0.1', userAgent: 'test', locale: 'en' as const };

const t = describeApp({ BASE_URL: 'http://accounts.example.com' }, { mail: true });

type Attributes = Record<string, string>;
interface Form {
  page: string;
  action: string;
  inputs: Attributes[];
}

function attributesOf(tag: string): Attributes {
  return Object.fromEntries([...tag.matchAll(/\s([a-z-]+)(?:="([^"]*)")?/g)].map((m) => [m[1] as string, m[2] ?? '']));
}

/** Every form of a page with its inputs; inputs outside a form count as a form of their own. */
function formsOf(page: string, html: string): Form[] {
  const forms = [...html.matchAll(/<form\b([^>]*)>([\s\S]*?)<\/form>/g)].map((m) => ({
    page,
    action: attributesOf(m[1] as string).action ?? '',
    inputs: [...(m[2] as string).matchAll(/<input\b[^>]*>/g)].map((i) => attributesOf(i[0].slice('<input'.length))),
  }));
  const outside = html.replace(/<form\b[\s\S]*?<\/form>/g, '');
  const loose = [...outside.matchAll(/<input\b[^>]*>/g)].map((i) => attributesOf(i[0].slice('<input'.length)));
  return loose.length > 0 ? [...forms, { page, action: '(no form)', inputs: loose }] : forms;
}

/** What is wrong with the credential fields of one form (nothing, ideally). */
function credentialFieldProblems(form: Form): string[] {
  const where = `${form.page} ${form.action}`;
  const problems: string[] = [];
  const choosesNewPassword = form.inputs.some((i) => i.name === 'password_confirm');
  for (const input of form.inputs) {
    const { name = '', type = 'text', autocomplete } = input;
    if (type === 'hidden') continue;
    if (/pass(word|phrase)?\b|pin\b/i.test(name) && type !== 'password') problems.push(`${where}: ${name} is type=${type}, not password`);
    if (type === 'password') {
      const expected = choosesNewPassword && name !== 'current_password' ? 'new-password' : 'current-password';
      if (autocomplete !== expected) problems.push(`${where}: ${name} has autocomplete=${autocomplete}, not ${expected}`);
    }
    if (['code', 'recovery_code'].includes(name) && autocomplete !== 'one-time-code') problems.push(`${where}: ${name} has autocomplete=${autocomplete}, not one-time-code`);
    if (name === 'code' && input.inputmode !== 'numeric') problems.push(`${where}: code without inputmode=numeric`);
    if (['identifier', 'username'].includes(name) && autocomplete !== 'username') problems.push(`${where}: ${name} has autocomplete=${autocomplete}, not username`);
    if (Object.keys(input).some((attribute) => /^on/.test(attribute))) problems.push(`${where}: ${name} has an inline event handler`);
  }
  const hasPassword = form.inputs.some((i) => i.type === 'password');
  if (hasPassword && !form.inputs.some((i) => i.autocomplete === 'username')) problems.push(`${where}: a password field without a username field for password managers`);
  return problems;
}

async function withAuthenticatorApp(user: Awaited<ReturnType<typeof createUser>>): Promise<string> {
  const { secret, sealed } = t.services.mfa.beginTotpEnrolment(user);
  await t.services.mfa.enableTotp(user, sealed, totpAt(secret, t.clock.now()), ctx, false);
  t.clock.advance(30_000);
  return secret;
}

/** The pages of the GET routes a signed-in person reaches, following redirects inside the site. */
async function signedInPages(visitor: Visitor): Promise<Array<{ path: string; res: request.Response }>> {
  const pages: Array<{ path: string; res: request.Response }> = [];
  for (const route of liveRoutes(t.app).filter((r) => r.method === 'GET')) {
    const path = concretePath(route.path);
    const anonymous = await request(t.app).get(path).set('Accept', 'text/html');
    if (!(anonymous.status === 303 && String(anonymous.headers.location).startsWith('/login'))) continue;
    let res = await visitor.get(path);
    for (let hops = 0; hops < 3 && res.status === 303 && String(res.headers.location).startsWith('/'); hops++) res = await visitor.get(String(res.headers.location));
    pages.push({ path, res });
  }
  return pages;
}

describe('Signing out', () => {
  it('is offered in the header of every page that needs a signed-in person, as a POST form with its token', async () => {
    const user = await createUser(t);
    const visitor = await signedIn(t, user);
    const pages = await signedInPages(visitor);
    const html = pages.filter(({ res }) => res.type === 'text/html');
    expect(html.length).toBeGreaterThanOrEqual(14);
    // The rest are downloads (the data export, the recovery codes file), not pages.
    for (const { res } of pages.filter(({ res }) => res.type !== 'text/html')) expect(res.headers['content-disposition'] ?? `${res.status} ${res.type}`).toMatch(/^attachment|^303/);

    for (const { path, res } of html) {
      expect({ path, status: res.status }).toEqual({ path, status: 200 });
      const header = /<header\b[\s\S]*?<\/header>/.exec(res.text)?.[0] ?? '';
      const logout = formsOf(path, header).find((form) => form.action === '/logout');
      expect({ path, logout: Boolean(logout) }).toEqual({ path, logout: true });
      expect(/<form method="post" action="\/logout">/.test(header)).toBe(true);
      expect(logout?.inputs.find((i) => i.name === '_csrf')?.value).toBe(csrfTokenIn(res.text));
      expect(header).toMatch(/<button type="submit" class="user-menu__logout">[^<]+<\/button>/);
    }

    const last = html[html.length - 1]?.res.text as string;
    const out = await visitor.post('/logout', { _csrf: csrfTokenIn(last) });
    expect(out.status).toBe(303);
    expect(String((await visitor.get('/profile/account')).headers.location)).toMatch(/^\/login/);
  });
});

describe('Password and code fields', () => {
  it('are type=password with current-password or new-password, codes one-time-code, usernames username, on every page that has them', async () => {
    const forms: Form[] = [];
    const collect = (page: string, res: request.Response) => {
      expect({ page, status: res.status }).toEqual({ page, status: 200 });
      forms.push(...formsOf(page, res.text));
    };

    const visitor = new Visitor(t.app);
    for (const page of ['/login', '/signup', '/forgot-password', '/api/docs']) collect(page, await visitor.get(page));
    const plain = await createUser(t);
    await visitor.submit('/forgot-password', { email: plain.email });
    await t.deliverMail();
    const reset = new URL(linkIn(t.mail.last(plain.email), 'http://accounts.example.com/reset-password/')).pathname;
    collect('/reset-password/<token>', await visitor.get(reset));

    const signedInVisitor = await signedIn(t, plain);
    for (const { path, res } of await signedInPages(signedInVisitor)) if (res.type === 'text/html') collect(path, res);

    const withApp = await createUser(t);
    const secret = await withAuthenticatorApp(withApp);
    const second = new Visitor(t.app);
    await second.submit('/login', { identifier: withApp.username, password: withApp.password });
    collect('/login/2fa', await second.get('/login/2fa'));
    collect('/login/2fa?method=recovery', await second.get('/login/2fa?method=recovery'));
    const done = await second.post('/login/2fa', { _csrf: second.csrf(), code: totpAt(secret, t.clock.now()) });
    expect(done.status).toBe(303);
    collect('/profile/security (app on)', await second.get('/profile/security'));
    t.clock.advance(11 * 60_000);
    collect('/reauth (app on)', await second.get('/reauth?next=%2Fprofile%2Faccount'));

    const names = new Set(forms.flatMap((f) => f.inputs.map((i) => i.name)));
    for (const name of ['identifier', 'username', 'password', 'password_confirm', 'current_password', 'code', 'recovery_code']) expect({ name, seen: names.has(name) }).toEqual({ name, seen: true });
    expect(forms.flatMap(credentialFieldProblems)).toEqual([]);
  });
});
