// The Connections tab: connecting and disconnecting identities at other providers, each
// behind a fresh sign-in and told by mail, and never the account's last way in.
import { Visitor } from '../../helpers/browser-agent';
import { GOOD_PASSWORD, createUser, signedIn } from '../../helpers/factories';
import { describeAppWithProviders, signInWithProvider, startAt, throughProvider } from '../../helpers/identity-providers';
import { linkIn } from '../../helpers/mail-catcher';

const t = describeAppWithProviders([{ id: 'corp', name: 'Corp SSO' }], {}, { mail: true });

const MINUTE = 60_000;
const TAB = '/profile/connections';
const NOT_ME = 'http://localhost:3000/not-me/';

/** Lets the last sign-in grow old, so the next sensitive form asks to re-authenticate. */
const staleSignIn = () => t.clock.advance(11 * MINUTE);

async function reauthWithPassword(visitor: Visitor, password: string): Promise<void> {
  const done = await visitor.submit(`/reauth?next=${encodeURIComponent(TAB)}`, { password, next: TAB }, '/reauth');
  expect({ status: done.status, location: done.headers.location }).toEqual({ status: 303, location: TAB });
}

/** The remove form's action for the connection to `provider` on the tab, as the page shows it. */
function removeActionOn(page: string): string {
  const action = /action="(\/profile\/connections\/[0-9a-f-]{36}\/remove)"/.exec(page)?.[1];
  if (!action) throw new Error('No Disconnect form on the page');
  return action;
}

describe('The Connections tab', () => {
  it('connects Corp SSO after re-authentication, lists it with its details, tells the person by mail and in the activity log, and disconnects it the same way', async () => {
    await t.providers.corp!.addAccount({ sub: 'pat-sub', email: 'pat@corp.example', email_verified: true, name: 'Pat Corporate' });
    const user = await createUser(t, { email: 'pat@example.com' });
    const visitor = await signedIn(t, user);

    const empty = await visitor.get(TAB);
    expect(empty.status).toBe(200);
    expect(empty.text).toMatch(/<h1 id="page-title" class="profile__title">Connections<\/h1>/);
    expect(empty.text).toContain('No other service is connected to your account.');
    expect(empty.text).toMatch(/<form method="post" action="\/profile\/connections\/corp\/connect">[\s\S]*?Connect Corp SSO/);

    staleSignIn();
    const asked = await startAt(visitor, TAB, '/profile/connections/corp/connect');
    expect({ status: asked.status, location: asked.headers.location }).toEqual({ status: 303, location: '/reauth?next=%2Fprofile%2Fconnections' });
    await reauthWithPassword(visitor, user.password);
    const back = await throughProvider(visitor, TAB, '/profile/connections/corp/connect', { sub: 'pat-sub' });
    expect({ status: back.status, location: back.headers.location }).toEqual({ status: 303, location: TAB });

    const listed = await visitor.get(TAB);
    expect(listed.text).toContain('Corp SSO is now connected to your account. You can sign in with it.');
    expect(listed.text).toContain('<h3 class="break">Corp SSO</h3>');
    expect(listed.text).toContain('pat@corp.example');
    expect(listed.text).toContain('Pat Corporate');
    expect(listed.text).toMatch(/Connected <time datetime="[^"]+"/);
    expect(listed.text).toMatch(/Last used <time datetime="[^"]+"/);
    expect(listed.text).not.toContain('Connect Corp SSO');
    const [identity] = await t.repos.identities.listByUser(user.id);
    expect(removeActionOn(listed.text)).toBe(`/profile/connections/${identity?.id}/remove`);

    await t.deliverMail();
    const connected = t.mail.last('pat@example.com');
    expect(connected.subject).toBe('Corp SSO was connected to your Atrium account');
    expect(connected.text).toContain('connected to an identity at Corp SSO');
    expect(linkIn(connected, NOT_ME)).toMatch(/^http:\/\/localhost:3000\/not-me\/[A-Za-z0-9_-]{43}$/);
    expect((await visitor.get('/profile/activity')).text).toContain('Identity provider connected');

    staleSignIn();
    const removeAsked = await visitor.post(removeActionOn(listed.text), { _csrf: visitor.csrf() });
    expect({ status: removeAsked.status, location: removeAsked.headers.location }).toEqual({ status: 303, location: '/reauth?next=%2Fprofile%2Fconnections' });
    expect(await t.repos.identities.listByUser(user.id)).toHaveLength(1);
    await reauthWithPassword(visitor, user.password);
    const tab = await visitor.get(TAB);
    const removed = await visitor.post(removeActionOn(tab.text), { _csrf: visitor.csrf() });
    expect({ status: removed.status, location: removed.headers.location }).toEqual({ status: 303, location: TAB });
    const after = await visitor.get(TAB);
    expect(after.text).toContain('Corp SSO is disconnected from your account. You can no longer sign in with it.');
    expect(after.text).toContain('Connect Corp SSO');
    expect(await t.repos.identities.listByUser(user.id)).toEqual([]);

    await t.deliverMail();
    const disconnected = t.mail.last('pat@example.com');
    expect(disconnected.subject).toBe('Corp SSO was disconnected from your Atrium account');
    expect(disconnected.text).toContain('The Corp SSO identity was disconnected');
    expect(linkIn(disconnected, NOT_ME)).toMatch(/not-me\//);
    expect((await visitor.get('/profile/activity')).text).toContain('Identity provider disconnected');
    // The provider's identity no longer signs anyone in.
    expect((await signInWithProvider(new Visitor(t.app), 'corp', { sub: 'pat-sub' })).headers.location).toBe('/auth/oidc/signup');
  });

  it('refuses to connect an identity that belongs to another account, and says so', async () => {
    await t.providers.corp!.addAccount({ sub: 'shared-sub', email: 'shared@corp.example', email_verified: true });
    const owner = await createUser(t);
    await t.repos.identities.insert({ userId: owner.id, provider: 'corp', issuer: t.providers.corp!.issuer, subject: 'shared-sub', email: null, displayName: null, now: t.clock.now() });
    const user = await createUser(t);
    const visitor = await signedIn(t, user);
    const back = await throughProvider(visitor, TAB, '/profile/connections/corp/connect', { sub: 'shared-sub' });
    expect(back.headers.location).toBe(TAB);
    expect((await visitor.get(TAB)).text).toContain('This Corp SSO identity is connected to another account. Disconnect it there first.');
    expect(await t.repos.identities.listByUser(user.id)).toEqual([]);
    expect(await t.repos.identities.listByUser(owner.id)).toHaveLength(1);
  });

  it('never disconnects the last way in of an account made through the provider; its emailed link sets a password, and then it can', async () => {
    await t.providers.corp!.addAccount({ sub: 'nia-sub', email: 'nia@corp.example', email_verified: true, given_name: 'Nia', family_name: 'Newcomer', preferred_username: 'nia' });
    const visitor = new Visitor(t.app);
    expect((await signInWithProvider(visitor, 'corp', { sub: 'nia-sub' })).headers.location).toBe('/auth/oidc/signup');
    const created = await visitor.submit('/auth/oidc/signup', { first_name: 'Nia', last_name: 'Newcomer', email: 'nia@corp.example', username: 'nia' });
    expect(created.status).toBe(303);
    const user = await t.repos.users.findByUsername('nia');
    expect(user?.passwordHash).toBeNull();

    const tab = await visitor.get(TAB);
    expect(tab.text).toContain('Corp SSO is your only way to sign in, so it cannot be disconnected yet.');
    expect(tab.text).toContain('To disconnect it, first set a password: we email you a link to choose one.');
    expect(tab.text).not.toMatch(/\/remove"/);
    expect(tab.text).toMatch(/<form method="post" action="\/profile\/connections\/set-password"[\s\S]*?Email me a link to set a password/);

    // A fresh sign-in is asked for, by the provider, since there is no password to type.
    staleSignIn();
    const [identity] = await t.repos.identities.listByUser(user!.id);
    const remove = `/profile/connections/${identity?.id}/remove`;
    expect((await visitor.post(remove, { _csrf: visitor.csrf() })).headers.location).toBe('/reauth?next=%2Fprofile%2Fconnections');
    const confirmed = await throughProvider(visitor, `/reauth?next=${encodeURIComponent(TAB)}`, '/reauth/oidc/corp', { sub: 'nia-sub' }, { next: TAB });
    expect(confirmed.headers.location).toBe(TAB);
    await visitor.get(TAB);
    const refused = await visitor.post(remove, { _csrf: visitor.csrf() });
    expect(refused.status).toBe(409);
    expect(refused.text).toContain('Corp SSO is the only way to sign in to your account, so it cannot be disconnected. Set a password first (we email you a link), or add a passkey.');
    expect(refused.text).toContain('Email me a link to set a password');
    expect(await t.repos.identities.listByUser(user!.id)).toHaveLength(1);

    const sent = await visitor.post('/profile/connections/set-password', { _csrf: visitor.csrf(), next: TAB });
    expect({ status: sent.status, location: sent.headers.location }).toEqual({ status: 303, location: TAB });
    expect((await visitor.get(TAB)).text).toContain('We sent a link to nia@corp.example. Follow it to choose your password.');
    await t.deliverMail();
    const mail = t.mail.last('nia@corp.example');
    expect(mail.subject).toBe('Set a password for your Atrium account');
    expect(mail.text).toContain('The link is valid for 24 hours and works once.');
    const link = new URL(linkIn(mail, 'http://localhost:3000/reset-password/'));
    const page = await visitor.get(link.pathname);
    expect(page.text).toContain('For the account nia');
    const saved = await visitor.post(link.pathname, { _csrf: visitor.csrf(), password: GOOD_PASSWORD, password_confirm: GOOD_PASSWORD });
    expect({ status: saved.status, location: saved.headers.location }).toEqual({ status: 303, location: '/login' });

    const again = await signedIn(t, { username: 'nia', password: GOOD_PASSWORD });
    const now = await again.get(TAB);
    expect(now.text).not.toContain('Email me a link to set a password');
    const done = await again.post(removeActionOn(now.text), { _csrf: again.csrf() });
    expect({ status: done.status, location: done.headers.location }).toEqual({ status: 303, location: TAB });
    expect(await t.repos.identities.listByUser(user!.id)).toEqual([]);
  });

  it('keeps a connection whose provider was taken out of the configuration listed, marked, and removable', async () => {
    const user = await createUser(t);
    await t.repos.identities.insert({ userId: user.id, provider: 'gone', issuer: 'https://old-idp.example.com', subject: 's-1', email: 'me@old.example', displayName: null, now: t.clock.now() });
    const visitor = await signedIn(t, user);
    const tab = await visitor.get(TAB);
    expect(tab.text).toContain('<h3 class="break">gone</h3>');
    expect(tab.text).toContain('No longer offered');
    expect(tab.text).toMatch(/Last used <time/);
    expect((await visitor.post(removeActionOn(tab.text), { _csrf: visitor.csrf() })).status).toBe(303);
    expect(await t.repos.identities.listByUser(user.id)).toEqual([]);
  });
});

describe('The Connections tab\'s forms, given bad input', () => {
  it('a malformed, unknown or someone else\'s connection id is a 404 in words, and nothing is removed', async () => {
    const other = await createUser(t);
    const theirs = await t.repos.identities.insert({ userId: other.id, provider: 'corp', issuer: 'https://idp.example.com', subject: 'theirs', email: null, displayName: null, now: t.clock.now() });
    const visitor = await signedIn(t, await createUser(t));
    await visitor.get(TAB);
    for (const id of ['not-a-uuid', "1'%20OR%20'1'='1", 'a'.repeat(5000), '%3Cscript%3E', '00000000-0000-4000-8000-000000000000', theirs.id, `${theirs.id.toUpperCase()}x`]) {
      const res = await visitor.post(`/profile/connections/${id}/remove`, { _csrf: visitor.csrf() });
      expect({ id: id.slice(0, 40), status: res.status }).toEqual({ id: id.slice(0, 40), status: 404 });
      expect(res.text).toMatch(/There is no such connection\.|Page not found/);
    }
    const notYours = await visitor.post(`/profile/connections/${theirs.id}/remove`, { _csrf: visitor.csrf() });
    expect(notYours.text).toContain('There is no such connection.');
    expect(await t.repos.identities.listByUser(other.id)).toHaveLength(1);
  });

  it('a post without its form token is refused, and nothing is removed', async () => {
    const user = await createUser(t);
    const mine = await t.repos.identities.insert({ userId: user.id, provider: 'corp', issuer: 'https://idp.example.com', subject: 'csrf', email: null, displayName: null, now: t.clock.now() });
    const visitor = await signedIn(t, user);
    expect((await visitor.post(`/profile/connections/${mine.id}/remove`, {})).status).toBe(403);
    expect((await visitor.post('/profile/connections/set-password', { _csrf: 'forged' })).status).toBe(403);
    expect(await t.repos.identities.listByUser(user.id)).toHaveLength(1);
  });

  it('the set-password link is refused (409, in words) to an account that has a password, and a hostile return address is ignored', async () => {
    const user = await createUser(t);
    const visitor = await signedIn(t, user);
    await visitor.get(TAB);
    for (const next of ['//evil.example', 'https://evil.example/', '/profile/password\r\nX: y', 'x'.repeat(5000), '']) {
      const res = await visitor.post('/profile/connections/set-password', { _csrf: visitor.csrf(), next });
      expect(res.status).toBe(409);
      expect(res.text).toContain('Your account already has a password. You can change it on the Password tab.');
      expect(res.headers.location).toBeUndefined();
    }
    expect(await t.deps.db('one_time_tokens').where({ user_id: user.id, purpose: 'password_set' })).toHaveLength(0);
  });

  it('the set-password link goes back to the tab it was asked from, only one of the two that offer it, and at most 5 an hour', async () => {
    const user = await t.repos.users.insert({ username: 'nopass', email: 'nopass@example.com', firstName: 'No', lastName: 'Pass', passwordHash: null, language: 'en', theme: null, now: t.clock.now(), source: 'oidc' });
    await t.providers.corp!.addAccount({ sub: 'nopass-sub', email: 'nopass@corp.example' });
    await t.repos.identities.insert({ userId: user.id, provider: 'corp', issuer: t.providers.corp!.issuer, subject: 'nopass-sub', email: null, displayName: null, now: t.clock.now() });
    const visitor = new Visitor(t.app);
    expect((await signInWithProvider(visitor, 'corp', { sub: 'nopass-sub' })).headers.location).toBe('/');
    const passwordTab = await visitor.get('/profile/password');
    expect(passwordTab.status).toBe(200);
    const _csrf = visitor.csrf();
    const answers: Array<string | undefined> = [];
    for (const next of ['/profile/password', '//evil.example', '/profile/account', ['/profile/password', '/x'], 'https://evil.example/profile/password']) {
      answers.push((await visitor.post('/profile/connections/set-password', { _csrf, next })).headers.location);
    }
    expect(answers).toEqual(['/profile/password', TAB, TAB, TAB, TAB]);
    const limited = await visitor.post('/profile/connections/set-password', { _csrf });
    expect(limited.status).toBe(429);
    expect(limited.text).toMatch(/try again/i);
    expect(await t.deps.db('one_time_tokens').where({ user_id: user.id, purpose: 'password_set' })).toHaveLength(5);
  });
});
