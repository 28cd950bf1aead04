import type { Response } from 'supertest';
import { Visitor, csrfTokenIn } from '../../helpers/browser-agent';
import { createUser } from '../../helpers/factories';
import { describeAppWithProviders, signInWithProvider } from '../../helpers/identity-providers';
import { isSignedIn } from '../../helpers/mfa';
import type { TestAccount } from '../../helpers/oidc-provider';

const t = describeAppWithProviders(
  [
    { id: 'corp', name: 'Corp SSO' },
    { id: 'lax', name: 'Lax ID', trust_email_verified: false },
  ],
  {},
  { mail: true },
);

let n = 0;
/** A person at the provider who has never been here, with all the claims a provider usually sends. */
function newcomer(overrides: Partial<TestAccount> = {}): TestAccount {
  n += 1;
  return { sub: `new-${n}-sub`, email: `newcomer${n}@corp.example`, email_verified: true, given_name: 'Nina', family_name: 'Newcomer', name: 'Nina Newcomer', preferred_username: `nina${n}`, ...overrides };
}

/** A newcomer's first sign-in with `provider`, which lands on the confirmation page. */
async function atConfirmation(account: TestAccount, provider = 'corp'): Promise<{ visitor: Visitor; page: Response }> {
  await t.providers[provider]!.addAccount(account);
  const visitor = new Visitor(t.app);
  const back = await signInWithProvider(visitor, provider, { sub: account.sub });
  expect(back.status).toBe(303);
  expect(back.headers.location).toBe('/auth/oidc/signup');
  return { visitor, page: await visitor.get('/auth/oidc/signup') };
}

/** The value a form field shows. */
const valueOf = (html: string, name: string) => new RegExp(`name="${name}"[^>]*value="([^"]*)"`).exec(html)?.[1];

const confirm = (visitor: Visitor, page: Response, fields: Record<string, string | string[]>) => visitor.post('/auth/oidc/signup', { _csrf: csrfTokenIn(page.text), ...fields });

const fieldsOf = (account: TestAccount) => ({ first_name: account.given_name!, last_name: account.family_name!, email: account.email!, username: account.preferred_username! });

describe('Signing up with an identity provider', () => {
  it('shows a first-time person a confirmation page prefilled from the claims, naming the provider, with no password field', async () => {
    const account = newcomer({ preferred_username: 'Nina.Explorer' });
    const { page } = await atConfirmation(account);
    expect(page.status).toBe(200);
    expect(page.text).toContain('Create your account with Corp SSO');
    expect(valueOf(page.text, 'first_name')).toBe('Nina');
    expect(valueOf(page.text, 'last_name')).toBe('Newcomer');
    expect(valueOf(page.text, 'email')).toBe(account.email);
    expect(valueOf(page.text, 'username')).toBe('nina.explorer');
    expect(page.text).not.toContain('name="password"');
    expect(await t.repos.users.findByEmail(account.email!)).toBeUndefined();
  });

  it('suggests a numbered username when the preferred one is taken', async () => {
    await createUser(t, { username: 'wanda' });
    const { page } = await atConfirmation(newcomer({ preferred_username: 'wanda' }));
    expect(valueOf(page.text, 'username')).toBe('wanda2');
  });

  it('creates the account from the confirmed details: from the provider, without a password, the verified address trusted, signed in with the provider named on the Sessions tab', async () => {
    const account = newcomer();
    const { visitor, page } = await atConfirmation(account);
    const done = await confirm(visitor, page, { ...fieldsOf(account), username: 'nina-chosen' });
    expect(done.status).toBe(303);
    expect(done.headers.location).toBe('/');

    const user = await t.repos.users.findByUsername('nina-chosen');
    expect(user).toMatchObject({ email: account.email, firstName: 'Nina', lastName: 'Newcomer', source: 'oidc', passwordHash: null });
    expect(user?.emailVerifiedAt).not.toBeNull();
    expect(await t.repos.users.findByUsername(account.preferred_username!)).toBeUndefined();
    const [identity] = await t.repos.identities.listByUser(user!.id);
    expect(identity).toMatchObject({ provider: 'corp', issuer: t.providers.corp!.issuer, subject: account.sub });

    expect(await isSignedIn(visitor)).toBe(true);
    expect((await visitor.get('/profile/sessions')).text).toContain('Corp SSO');
    await t.deliverMail();
    expect(t.mail.to(account.email!).filter((m) => m.text.includes('/verify-email'))).toEqual([]);

    const again = new Visitor(t.app);
    expect((await signInWithProvider(again, 'corp', { sub: account.sub })).headers.location).toBe('/');
    expect(await isSignedIn(again)).toBe(true);
  });

  it.each([
    ['the provider says the address is not verified', 'corp', { email_verified: false }, undefined],
    ['the provider does not say', 'corp', { email_verified: undefined }, undefined],
    ['the operator does not trust the provider on it (trust_email_verified: false)', 'lax', {}, undefined],
    ['the person changed the address', 'corp', {}, 'changed'],
  ])('does not count the address as verified when %s, and mails the verification link', async (_case, provider, claims, edit) => {
    const account = newcomer(claims);
    const { visitor, page } = await atConfirmation(account, provider);
    const email = edit ? `${edit}-${account.email}` : account.email!;
    const done = await confirm(visitor, page, { ...fieldsOf(account), email });
    expect(done.status).toBe(303);
    const user = await t.repos.users.findByEmail(email);
    expect(user?.emailVerifiedAt).toBeNull();
    expect((await visitor.get(done.headers.location!)).text).toContain(`We sent a link to ${email} to confirm your address.`);
    await t.deliverMail();
    expect(t.mail.last(email).text).toContain('/verify-email');
  });

  it('applies the username rule, with the translated message, keeping what was typed', async () => {
    const account = newcomer();
    const { visitor, page } = await atConfirmation(account);
    const refused = await confirm(visitor, page, { ...fieldsOf(account), username: 'Nina Newcomer!' });
    expect(refused.status).toBe(422);
    expect(refused.text).toContain('Username can only contain lower-case letters, digits, dots, dashes and underscores');
    expect(valueOf(refused.text, 'first_name')).toBe('Nina');
    const german = new Visitor(t.app, undefined, 'de');
    const deAccount = newcomer();
    await t.providers.corp!.addAccount(deAccount);
    await signInWithProvider(german, 'corp', { sub: deAccount.sub });
    const deRefused = await confirm(german, await german.get('/auth/oidc/signup'), { ...fieldsOf(deAccount), username: 'Nina!' });
    expect(deRefused.status).toBe(422);
    expect(deRefused.text).toContain('Der Benutzername darf nur Kleinbuchstaben, Ziffern, Punkte, Binde- und Unterstriche enthalten');
    expect(await t.repos.users.findByEmail(deAccount.email!)).toBeUndefined();
    expect(await t.repos.users.findByEmail(account.email!)).toBeUndefined();
  });

  it('refuses a username or address that is taken, in words', async () => {
    const taken = await createUser(t);
    const account = newcomer();
    const { visitor, page } = await atConfirmation(account);
    const byName = await confirm(visitor, page, { ...fieldsOf(account), username: taken.username });
    expect(byName.status).toBe(422);
    expect(byName.text).toContain('This username is already taken.');
    const byEmail = await confirm(visitor, page, { ...fieldsOf(account), email: taken.email });
    expect(byEmail.status).toBe(422);
    expect(byEmail.text).toContain('An account with this email address already exists.');
    expect(await t.repos.users.findByEmail(account.email!)).toBeUndefined();
    expect(await t.repos.identities.listByUser(taken.id)).toEqual([]);
  });

  it.each([
    ['a missing first name', { first_name: undefined }, 'Enter your first name'],
    ['a missing username', { username: undefined }, 'Choose a username'],
    ['a missing address', { email: undefined }, 'Enter your email address'],
    ['an overlong last name', { last_name: 'N'.repeat(5000) }, undefined],
    ['an overlong username', { username: 'n'.repeat(33) }, '32 characters or fewer'],
    ['an address that is none', { email: 'not-an-address' }, undefined],
    ['an address with a header injection', { email: 'nina@corp.example\r\nBcc: victim@example.com' }, undefined],
    ['a username given twice', { username: ['nina', 'admin'] }, undefined],
    ['names given as lists', { first_name: ['a', 'b'], last_name: ['c'] }, undefined],
  ])('answers %s with the form again and a message, never an error page', async (_case, change, message) => {
    const account = newcomer();
    const { visitor, page } = await atConfirmation(account);
    const fields = Object.fromEntries(Object.entries({ ...fieldsOf(account), ...change }).filter(([, v]) => v !== undefined)) as Record<string, string | string[]>;
    const refused = await confirm(visitor, page, fields);
    expect(refused.status).toBe(422);
    expect(refused.text).toContain('Create your account with Corp SSO');
    expect(refused.text).toMatch(/class="field__error"/);
    if (message) expect(refused.text).toContain(message);
    expect(await t.repos.users.findByEmail(account.email!)).toBeUndefined();
    expect(await isSignedIn(visitor)).toBe(false);
  });

  it('escapes hostile claims and input on the page rather than running them', async () => {
    const account = newcomer({ given_name: '<script>alert(1)</script>', family_name: '"><img src=x onerror=alert(2)>' });
    const { visitor, page } = await atConfirmation(account);
    expect(page.status).toBe(200);
    expect(page.text).not.toContain('<script>alert(1)</script>');
    expect(page.text).not.toContain('<img src=x');
    const refused = await confirm(visitor, page, { ...fieldsOf(account), username: '<b>x</b>' });
    expect(refused.status).toBe(422);
    expect(refused.text).not.toContain('<b>x</b>');
  });
});
