// The Connected apps tab: the applications a person allowed to sign them in with this
// account, what each may see, when it was allowed and last used, and revoking one, which
// ends its grant and every token issued under it at once. The grants are stored as the
// provider library's adapter stores them; the consent flow itself is tested with the provider.
import { describeApp } from '../../helpers/app';
import { Visitor } from '../../helpers/browser-agent';
import { allowedApp, allowedClientIds, grantFor, registeredApp, tokenUnder } from '../../helpers/connected-apps';
import { createUser, signedIn } from '../../helpers/factories';
import { UNKNOWN_CLIENT_ID } from '../../helpers/route-list';

const t = describeApp({}, { mail: true });

const TAB = '/profile/apps';
const MINUTE = 60_000;

/** The tab's entry for one application (its list item), by the application's name. */
function entryOf(page: string, name: string): string {
  const entry = page.split('<li class="cred">').find((item) => item.includes(`<h3 class="break">${name}</h3>`));
  if (!entry) throw new Error(`No entry for ${name} on the tab`);
  return entry;
}

const revokePath = (clientId: string) => `/profile/apps/${clientId}/revoke`;

describe('The Connected apps tab', () => {
  it('lists each application the person allowed, with what it may see, when it was allowed and when it was last used', async () => {
    const user = await createUser(t);
    const wiki = await registeredApp(t, 'Team Wiki');
    const wikiGrant = await grantFor(t, user.id, wiki, 'openid profile email');
    t.clock.advance(5 * MINUTE);
    const builds = await allowedApp(t, user.id, 'Build Server', 'openid offline_access');
    t.clock.advance(5 * MINUTE);
    await tokenUnder(t, user.id, wiki, wikiGrant, 'AccessToken');
    // Someone else's application is theirs alone.
    await allowedApp(t, (await createUser(t)).id, 'Their Calendar');

    const visitor = await signedIn(t, user);
    const page = await visitor.get(TAB);
    expect(page.status).toBe(200);
    expect(page.text).toMatch(/<h1 id="page-title" class="profile__title">Connected apps<\/h1>/);
    expect(page.text).toContain('<title>Connected apps · ');
    expect(page.text).toMatch(/<a [^>]*href="\/profile\/apps"[^>]*>[\s\S]*?Connected apps/);
    expect(page.text).toContain('Applications you allowed to sign you in with this account, and what each of them may see.');
    expect(page.text).not.toContain('Their Calendar');
    // Oldest first, as they were allowed.
    expect(page.text.indexOf('Team Wiki')).toBeLessThan(page.text.indexOf('Build Server'));

    const wikiEntry = entryOf(page.text, 'Team Wiki');
    expect(wikiEntry).toContain('<li>Recognise you by a stable identifier (never your username or password)</li>');
    expect(wikiEntry).toContain('<li>Know your name, username and language, and see your profile picture</li>');
    expect(wikiEntry).toContain('<li>Know your email address</li>');
    expect(wikiEntry).not.toContain('Stay connected');
    expect(wikiEntry).toMatch(/Allowed <time datetime="[^"]+"/);
    expect(wikiEntry).toMatch(/Last used <time datetime="[^"]+"/);
    expect(wikiEntry).toContain(`action="${revokePath(wiki)}"`);
    expect(wikiEntry).toContain('aria-label="Revoke access of Team Wiki"');
    expect(wikiEntry).toContain('Team Wiki loses access at once: its tokens stop working, and it has to ask you again before it can sign you in.');
    expect(wikiEntry).toContain('Yes, revoke access');

    const buildsEntry = entryOf(page.text, 'Build Server');
    expect(buildsEntry).toContain('<li>Stay connected when you are not using it</li>');
    expect(buildsEntry).not.toContain('Know your email address');
    expect(buildsEntry).toContain('Never used');
    expect(buildsEntry).not.toMatch(/Last used <time/);
    expect(buildsEntry).toContain(`action="${revokePath(builds)}"`);
  });

  it('says what it is for while no application is allowed', async () => {
    const visitor = await signedIn(t, await createUser(t));
    const page = await visitor.get(TAB);
    expect(page.status).toBe(200);
    expect(page.text).toContain('No application can sign you in with this account yet. When an application asks to sign you in with this account and you allow it, it appears here.');
    expect(page.text).not.toContain('/revoke"');
  });

  it('revokes an application: its grant and every token under it go at once, the tab says so, and the activity log records it', async () => {
    const user = await createUser(t);
    const wiki = await registeredApp(t, 'Team Wiki');
    const grant = await grantFor(t, user.id, wiki);
    const refresh = await tokenUnder(t, user.id, wiki, grant, 'RefreshToken');
    const access = await tokenUnder(t, user.id, wiki, grant, 'AccessToken');
    const kept = await allowedApp(t, user.id, 'Build Server');
    // The same application allowed by someone else keeps its access to them.
    const other = await createUser(t);
    const othersGrant = await grantFor(t, other.id, wiki);

    const visitor = await signedIn(t, user);
    // Revoking only takes access away: no fresh sign-in is asked for.
    t.clock.advance(30 * MINUTE);
    const page = await visitor.get(TAB);
    const done = await visitor.post(revokePath(wiki), { _csrf: visitor.csrf() });
    expect({ status: done.status, location: done.headers.location }).toEqual({ status: 303, location: TAB });

    const now = t.clock.now();
    expect(await t.repos.oidcPayloads.find('Grant', grant, now)).toBeUndefined();
    expect(await t.repos.oidcPayloads.find('RefreshToken', refresh, now)).toBeUndefined();
    expect(await t.repos.oidcPayloads.find('AccessToken', access, now)).toBeUndefined();
    expect(await allowedClientIds(t, user.id)).toEqual([kept]);
    expect(await t.repos.oidcPayloads.find('Grant', othersGrant, now)).toBeDefined();
    expect(page.text).toContain('Team Wiki');

    const after = await visitor.get(TAB);
    expect(after.text).toContain('Team Wiki no longer has access to your account. It has to ask you again to sign you in.');
    expect(after.text).not.toContain('<h3 class="break">Team Wiki</h3>');
    expect(after.text).toContain('<h3 class="break">Build Server</h3>');

    const events = await t.repos.events.all(user.id);
    expect(events.filter((e) => e.type === 'app_revoked').map((e) => e.data)).toEqual([{ name: 'Team Wiki' }]);
    const activity = await visitor.get('/profile/activity');
    expect(activity.text).toContain('Application&#39;s access revoked');
    expect(activity.text).toContain('Team Wiki');

    // Gone is gone: a second revoke finds nothing.
    await visitor.get(TAB);
    expect((await visitor.post(revokePath(wiki), { _csrf: visitor.csrf() })).status).toBe(404);
  });

  it('is in German for a German-speaking person, down to what the applications may see', async () => {
    const user = await createUser(t, { language: 'de' });
    await allowedApp(t, user.id, 'Team Wiki', 'openid profile email offline_access');
    const visitor = await signedIn(t, user);
    const page = await visitor.get(TAB);
    expect(page.text).toMatch(/<h1 id="page-title" class="profile__title">Verbundene Apps<\/h1>/);
    expect(page.text).toContain('<title>Verbundene Apps · ');
    expect(page.text).toContain('<li>Ihre E-Mail-Adresse kennen</li>');
    expect(page.text).toContain('Zugriff widerrufen');
    expect(page.text).toContain('Nie verwendet');
    for (const english of ['Connected apps', 'Allowed', 'Revoke', 'Never used', 'Know your', 'Stay connected', 'Recognise you', 'may see']) expect(page.text).not.toContain(english);

    const empty = await (await signedIn(t, await createUser(t, { language: 'de' }))).get(TAB);
    expect(empty.text).toContain('Noch darf keine Anwendung Sie mit diesem Konto anmelden.');
  });

  it('is in the data export', async () => {
    const user = await createUser(t);
    const wiki = await registeredApp(t, 'Team Wiki');
    const grant = await grantFor(t, user.id, wiki, 'openid email');
    t.clock.advance(MINUTE);
    await tokenUnder(t, user.id, wiki, grant);
    const builds = await allowedApp(t, user.id, 'Build Server', 'openid');
    const visitor = await signedIn(t, user);
    expect((await visitor.get('/profile/data')).text).toContain('the applications you allowed to sign you in, and what they may see');
    const res = await visitor.get('/profile/data/export');
    expect(res.status).toBe(200);
    const data = JSON.parse(res.text);
    const iso = expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
    expect(data.connected_apps).toEqual([
      { client_id: wiki, name: 'Team Wiki', scopes: ['openid', 'email'], allowed_at: iso, last_used_at: iso },
      { client_id: builds, name: 'Build Server', scopes: ['openid'], allowed_at: iso, last_used_at: null },
    ]);
    expect(res.text).not.toContain(grant);
  });
});

describe('The Connected apps tab\'s revoke, given bad input', () => {
  it('someone else\'s application, one never allowed, an unknown or a hostile client id is a 404 in words, and nothing is revoked', async () => {
    const other = await createUser(t);
    const theirs = await allowedApp(t, other.id, 'Their Calendar');
    const neverAllowed = await registeredApp(t, 'Never Allowed');
    const user = await createUser(t);
    const mine = await allowedApp(t, user.id, 'Team Wiki');
    const visitor = await signedIn(t, user);
    await visitor.get(TAB);

    for (const client of [theirs, neverAllowed, UNKNOWN_CLIENT_ID, `${mine}x`, mine.slice(0, -1)]) {
      const res = await visitor.post(revokePath(client), { _csrf: visitor.csrf() });
      expect({ client, status: res.status }).toEqual({ client, status: 404 });
      expect(res.text).toContain('No such connected application.');
    }
    for (const client of ['a'.repeat(5000), '%00', 'x%00y', "1'%20OR%20'1'='1", '%3Cscript%3E', '..%2F..%2Fprofile', '%25', ' ', '%E2%80%AE', '%F0%9F%92%A9']) {
      const res = await visitor.post(revokePath(client), { _csrf: visitor.csrf() });
      expect({ client: client.slice(0, 40), status: res.status }).toEqual({ client: client.slice(0, 40), status: 404 });
      expect(res.text).toMatch(/No such connected application\.|Page not found/);
    }
    expect(await allowedClientIds(t, other.id)).toEqual([theirs]);
    expect(await allowedClientIds(t, user.id)).toEqual([mine]);
    expect((await t.repos.events.all(user.id)).filter((e) => e.type === 'app_revoked')).toEqual([]);
  });

  it('a post without its form token, or with a forged one, is refused, and nothing is revoked', async () => {
    const user = await createUser(t);
    const mine = await allowedApp(t, user.id, 'Team Wiki');
    const visitor = await signedIn(t, user);
    await visitor.get(TAB);
    expect((await visitor.post(revokePath(mine), {})).status).toBe(403);
    expect((await visitor.post(revokePath(mine), { _csrf: 'forged' })).status).toBe(403);
    expect(await allowedClientIds(t, user.id)).toEqual([mine]);
  });

  it('needs a signed-in person: the tab and the revoke send a stranger to sign in', async () => {
    const mine = await allowedApp(t, (await createUser(t)).id, 'Team Wiki');
    const stranger = new Visitor(t.app);
    const tab = await stranger.get(TAB);
    expect({ status: tab.status, location: tab.headers.location }).toEqual({ status: 303, location: '/login?next=%2Fprofile%2Fapps' });
    await stranger.get('/login');
    const revoke = await stranger.post(revokePath(mine), { _csrf: stranger.csrf() });
    expect(revoke.status).toBe(303);
    expect(revoke.headers.location).toMatch(/^\/login/);
  });
});
