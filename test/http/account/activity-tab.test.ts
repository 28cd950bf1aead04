import fs from 'node:fs';
import path from 'node:path';
import { describeApp } from '../../helpers/app';
import { USER_AGENTS, Visitor, csrfTokenIn } from '../../helpers/browser-agent';
import { createUser, signedIn } from '../../helpers/factories';
import { ALL_TYPES, COVERED, DE, EN, LOOPBACK, ORIGIN, activityHelpers, entries, escapeHtml, olderLink, shownAs } from './activity-test-helpers';

const t = describeApp({ BASE_URL: ORIGIN }, { mail: true });

const { eventsOf, createToken } = activityHelpers(t);

describe('The Activity tab', () => {
  it('needs a signed-in user', async () => {
    const res = await new Visitor(t.app).get('/profile/activity');
    expect(res.status).toBe(303);
    expect(res.headers.location).toMatch(/^\/login/);
  });

  it('lists events newest first, with time, address, browser and system, and a label in words', async () => {
    const user = await createUser(t);
    const visitor = await signedIn(t, user, USER_AGENTS.firefoxLinuxArm);
    t.clock.advance(60_000);
    await createToken(visitor, { name: 'Nightly <export>' });
    t.clock.advance(60_000);
    const page = await visitor.get('/profile/activity');
    expect(page.status).toBe(200);
    expect(page.text).toContain('<h2 id="activity-title" class="card__title">Activity</h2>');
    const stored = await eventsOf(user.id);
    expect(stored.map((e) => e.type)).toEqual(['token_created', 'sign_in']);
    const shown = entries(page.text);
    expect(shown).toHaveLength(2);
    expect(shown.map((e) => ({ label: e.label, datetime: e.datetime }))).toEqual(stored.map((e) => shownAs(e)));
    expect(new Date(shown[0]?.datetime as string).getTime()).toBeGreaterThan(new Date(shown[1]?.datetime as string).getTime());
    expect(shown[0]).toMatchObject({ label: 'Token created', detail: 'Nightly <export>', client: 'Firefox 133 · Linux', alarming: false });
    expect(shown[1]).toMatchObject({ label: 'Signed in', detail: 'with password · new device', client: 'Firefox 133 · Linux' });
    for (const e of shown) expect(e.ip).toMatch(LOOPBACK);
    // Names are escaped, never markup.
    expect(page.text).toContain('Nightly &lt;export&gt;');
    expect(page.text).not.toContain('<export>');
    // One page only: no pager.
    expect(olderLink(page.text)).toBeUndefined();
    expect(page.text).not.toContain('class="pager"');
  });

  it('pages by keyset: 25 a page, "Older" shows the rest without repeating or skipping, and later events do not shift it', async () => {
    const user = await createUser(t);
    const viewer = await signedIn(t, user);
    const other = new Visitor(t.app, USER_AGENTS.iphoneSafari);
    for (let i = 0; i < 15; i++) {
      t.clock.advance(1_000);
      expect((await other.submit('/login', { identifier: user.username, password: user.password })).status).toBe(303);
      t.clock.advance(1_000);
      const page = await other.get('/profile/account');
      expect((await other.post('/logout', { _csrf: csrfTokenIn(page.text) })).status).toBe(303);
    }
    const stored = await eventsOf(user.id);
    expect(stored).toHaveLength(31);

    const first = await viewer.get('/profile/activity');
    expect(first.status).toBe(200);
    const firstShown = entries(first.text);
    expect(firstShown).toHaveLength(25);
    expect(firstShown.map((e) => ({ label: e.label, datetime: e.datetime }))).toEqual(stored.slice(0, 25).map((e) => shownAs(e)));
    const older = olderLink(first.text);
    expect(older).toBe(`/profile/activity?before=${stored[24]?.id}`);
    expect(first.text).toContain(`>${EN.older}</a>`);
    expect(first.text).not.toContain(`>${EN.newest}</a>`);

    // Meanwhile, more happens.
    for (let i = 0; i < 3; i++) {
      t.clock.advance(1_000);
      await other.submit('/login', { identifier: user.username, password: user.password });
      const page = await other.get('/profile/account');
      await other.post('/logout', { _csrf: csrfTokenIn(page.text) });
    }
    expect(await eventsOf(user.id)).toHaveLength(37);

    const second = await viewer.get(older as string);
    expect(second.status).toBe(200);
    const secondShown = entries(second.text);
    expect(secondShown.map((e) => ({ label: e.label, datetime: e.datetime }))).toEqual(stored.slice(25).map((e) => shownAs(e)));
    expect(olderLink(second.text)).toBeUndefined();
    expect(second.text).toContain(`href="/profile/activity">${EN.newest}</a>`);
    // Together, every stored event exactly once.
    const all = [...firstShown, ...secondShown].map((e) => e.datetime);
    expect(new Set(all).size).toBe(31);
    expect(all).toEqual(stored.map((e) => e.created_at.toISOString()));

    // The first page now starts with what happened since.
    const fresh = entries((await viewer.get('/profile/activity')).text);
    expect(fresh[0]?.datetime).toBe((await eventsOf(user.id))[0]?.created_at.toISOString());
  });

  it('ignores a cursor that is not one, without an error', async () => {
    const user = await createUser(t);
    const viewer = await signedIn(t, user);
    await createToken(viewer);
    const stored = await eventsOf(user.id);
    const everything = stored.map((e) => shownAs(e));
    const bogus = ['abc', '-1', 'x'.repeat(100), '1e3', '1.5', ' 5', '9'.repeat(19), '9'.repeat(40), "1' or '1'='1", '%00', ''];
    for (const before of bogus) {
      const res = await viewer.get(`/profile/activity?before=${encodeURIComponent(before)}`);
      expect({ before, status: res.status }).toEqual({ before, status: 200 });
      expect(entries(res.text).map((e) => ({ label: e.label, datetime: e.datetime }))).toEqual(everything);
    }
    for (const query of ['before[]=1', 'before=1&before=2', 'before[a]=1', 'kind=token_created&before[]=x']) {
      const res = await viewer.get(`/profile/activity?${query}`);
      expect({ query, status: res.status }).toEqual({ query, status: 200 });
      expect(entries(res.text).length).toBeGreaterThan(0);
    }
    // A well-formed cursor below every event: a later page with nothing on it.
    const none = await viewer.get('/profile/activity?before=1');
    expect(none.status).toBe(200);
    expect(entries(none.text)).toEqual([]);
    expect(none.text).toContain('Nothing has happened yet.');
    expect(none.text).toContain(`href="/profile/activity">${EN.newest}</a>`);
    // The largest cursor the form allows works like none at all.
    const huge = await viewer.get(`/profile/activity?before=${'9'.repeat(18)}`);
    expect(huge.status).toBe(200);
    expect(entries(huge.text).map((e) => ({ label: e.label, datetime: e.datetime }))).toEqual(everything);
  });

  it('filters by one kind and keeps the filter in the "Older" link; an unknown or malformed kind shows everything', async () => {
    const user = await createUser(t);
    const viewer = await signedIn(t, user, USER_AGENTS.firefoxLinuxArm);
    for (let i = 0; i < 27; i++) {
      t.clock.advance(1_000);
      const res = await viewer.submit('/profile/tokens', { name: `Token ${i}`, scope: 'read', expires: '30' });
      expect(res.status).toBe(303);
    }
    const tokenEvents = (await eventsOf(user.id)).filter((e) => e.type === 'token_created');
    expect(tokenEvents).toHaveLength(27);

    const first = await viewer.get('/profile/activity?kind=token_created');
    expect(first.status).toBe(200);
    expect(first.text).toContain('<option value="token_created" selected>Token created</option>');
    const firstShown = entries(first.text);
    expect(firstShown.map((e) => ({ label: e.label, datetime: e.datetime }))).toEqual(tokenEvents.slice(0, 25).map((e) => shownAs(e)));
    expect(firstShown.map((e) => e.detail)).toEqual(Array.from({ length: 25 }, (_, i) => `Token ${26 - i}`));
    const older = olderLink(first.text);
    expect(older).toBe(`/profile/activity?kind=token_created&before=${tokenEvents[24]?.id}`);

    const second = await viewer.get(older as string);
    expect(second.status).toBe(200);
    expect(second.text).toContain('<option value="token_created" selected>Token created</option>');
    expect(entries(second.text).map((e) => ({ label: e.label, datetime: e.datetime }))).toEqual(tokenEvents.slice(25).map((e) => shownAs(e)));
    expect(entries(second.text).map((e) => e.detail)).toEqual(['Token 1', 'Token 0']);
    expect(second.text).toContain(`href="/profile/activity?kind=token_created">${EN.newest}</a>`);
    expect(olderLink(second.text)).toBeUndefined();

    // Another kind: only the sign-in.
    const signIns = entries((await viewer.get('/profile/activity?kind=sign_in')).text);
    expect(signIns.map((e) => e.label)).toEqual(['Signed in']);
    const none = await viewer.get('/profile/activity?kind=ssh_key_removed');
    expect(entries(none.text)).toEqual([]);
    expect(none.text).toContain('Nothing of this kind has happened.');

    // Unknown, malformed or repeated kinds: everything, unfiltered, nothing selected.
    const everything = (await eventsOf(user.id)).slice(0, 25).map((e) => shownAs(e));
    for (const query of ['kind=nonsense', 'kind=', 'kind=SIGN_IN', 'kind=signIn', 'kind=__proto__', 'kind[]=x', 'kind[]=sign_in', 'kind=sign_in&kind=token_created', 'kind[a]=sign_in', `kind=${'x'.repeat(500)}`]) {
      const res = await viewer.get(`/profile/activity?${query}`);
      expect({ query, status: res.status }).toEqual({ query, status: 200 });
      expect(entries(res.text).map((e) => ({ label: e.label, datetime: e.datetime }))).toEqual(everything);
      expect(res.text).not.toMatch(/<option value="[a-z_]+" selected>/);
      const link = olderLink(res.text);
      expect(link).toBe(`/profile/activity?before=${(await eventsOf(user.id))[24]?.id}`);
    }
  });

  it('speaks the account holder\'s language', async () => {
    const user = await createUser(t, { language: 'de' });
    const visitor = await signedIn(t, user, USER_AGENTS.firefoxLinuxArm);
    await createToken(visitor, { name: 'Sicherung' });
    const page = await visitor.get('/profile/activity');
    expect(page.status).toBe(200);
    const shown = entries(page.text);
    expect(shown.map((e) => e.label)).toEqual([DE.kinds.token_created, DE.kinds.sign_in]);
    expect(shown.map((e) => e.label)).toEqual(['Token erstellt', 'Angemeldet']);
    expect(shown[1]?.detail).toContain(DE.methods.password as string);
    expect(page.text).toContain(escapeHtml(DE.kinds.sign_in as string));
    expect(page.text).not.toContain('Signed in');
    expect(page.text).not.toContain('Token created');
    expect(page.text).not.toContain('activity.kinds.');
    expect(page.text).toContain('lang="de"');
  });

  it('never shows another account\'s events, not by filter nor by cursor', async () => {
    const alice = await createUser(t);
    const bob = await createUser(t);
    t.clock.advance(1_000);
    const aliceBrowser = await signedIn(t, alice, USER_AGENTS.iphoneSafari);
    t.clock.advance(1_000);
    await createToken(aliceBrowser, { name: 'Alice private build' });
    t.clock.advance(1_000);
    const bobBrowser = await signedIn(t, bob, USER_AGENTS.firefoxLinuxArm);
    const aliceEvents = await eventsOf(alice.id);
    expect(aliceEvents.length).toBeGreaterThanOrEqual(2);
    const bobEvents = await eventsOf(bob.id);

    const queries = ['', '?kind=token_created', '?kind=sign_in', `?before=${Number(aliceEvents[0]?.id) + 1}`, `?kind=token_created&before=${Number(aliceEvents[0]?.id) + 1}`];
    for (const query of queries) {
      const res = await bobBrowser.get(`/profile/activity${query}`);
      expect(res.status).toBe(200);
      expect(res.text).not.toContain('Alice private build');
      expect(res.text).not.toContain('Mobile Safari');
      const shown = entries(res.text).map((e) => e.datetime);
      for (const event of aliceEvents) expect(shown).not.toContain(event.created_at.toISOString());
    }
    const own = entries((await bobBrowser.get('/profile/activity')).text);
    expect(own.map((e) => ({ label: e.label, datetime: e.datetime }))).toEqual(bobEvents.map((e) => shownAs(e)));
    expect(entries((await bobBrowser.get('/profile/activity?kind=token_created')).text)).toEqual([]);
    // And Alice still sees her own.
    expect(entries((await aliceBrowser.get('/profile/activity')).text).map((e) => e.detail)).toContain('Alice private build');
  });
});

describe('Each kind of event is recorded by the flow that causes it', () => {
  // The flows live in the activity-*-events.test.ts files; after its flows, each checks that
  // they recorded exactly its list in COVERED, so together the lists are what was exercised.
  it('covers every kind the Activity tab knows, and each has an English and a German label', () => {
    for (const file of Object.keys(COVERED)) {
      expect(fs.readFileSync(path.join(__dirname, `${file}.test.ts`), 'utf8')).toContain('eventRecorder(t, __filename)');
    }
    const exercised = new Set<string>(Object.values(COVERED).flat());
    expect([...exercised].sort()).toEqual([...ALL_TYPES].sort());
    for (const type of ALL_TYPES) {
      expect(EN.kinds[type]).toBeTruthy();
      expect(DE.kinds[type]).toBeTruthy();
    }
  });
});
