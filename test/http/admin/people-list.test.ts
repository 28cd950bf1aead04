import crypto from 'node:crypto';
import { describeApp } from '../../helpers/app';
import { createUser, signedIn, type UserSpec } from '../../helpers/factories';
import type { Visitor } from '../../helpers/browser-agent';

const t = describeApp();

/** A prefix no other test's accounts start with, so each story searches only its own people. */
const tag = () => `p${crypto.randomBytes(4).toString('hex')}`;

let admin: Awaited<ReturnType<typeof createUser>>;
let browser: Visitor;

beforeAll(async () => {
  admin = await createUser(t, { admin: true, emailVerified: true, firstName: 'Ada', lastName: 'Admin' });
  browser = await signedIn(t, admin);
});

/** The usernames a list page shows, in order: each row links to the person's page. */
function usernamesOn(html: string): string[] {
  return [...html.matchAll(/class="person-row__name[^"]*" href="\/admin\/users\/([^"]+)"/g)].map((m) => decodeURIComponent(m[1] as string));
}

const decodeHtml = (href: string) => href.replace(/&amp;/g, '&');
const linkOn = (html: string, rel: 'next' | 'prev') => {
  const match = new RegExp(`rel="${rel}" href="([^"]+)"`).exec(html);
  return match ? decodeHtml(match[1] as string) : undefined;
};

async function listed(query: string): Promise<string[]> {
  const res = await browser.get(`/admin/users?${query}`);
  expect(res.status).toBe(200);
  return usernamesOn(res.text);
}

/** Every page from the first, following "Next page": each page's usernames. */
async function allPages(query: string): Promise<string[][]> {
  const pages: string[][] = [];
  let next: string | undefined = `/admin/users?${query}`;
  while (next) {
    const res = await browser.get(next);
    expect(res.status).toBe(200);
    pages.push(usernamesOn(res.text));
    next = linkOn(res.text, 'next');
    expect(pages.length).toBeLessThan(20);
  }
  return pages;
}

const person = (prefix: string, name: string, spec: UserSpec = {}) => createUser(t, { username: `${prefix}${name}`, email: `${name}.${prefix}@example.com`, ...spec });

describe('An administrator looks for people', () => {
  it('finds them by the start of the username, email address, first or last name, or "first last", whatever the capitals', async () => {
    const p = tag();
    const ana = await person(p, 'ana', { firstName: `Ana${p}`, lastName: `Petrovic${p}` });
    const bob = await person(p, 'bob', { email: `Robert.${p}@Example.com`, firstName: 'Bob', lastName: `Builder${p}` });
    expect(await listed(`q=${p.toUpperCase()}ANA`)).toEqual([ana.username]);
    expect(await listed(`q=robert.${p.toUpperCase()}`)).toEqual([bob.username]);
    expect(await listed(`q=ana${p}`)).toEqual([ana.username]);
    expect(await listed(`q=BUILDER${p}`)).toEqual([bob.username]);
    expect(await listed(`q=${encodeURIComponent(`ana${p} petro`)}`)).toEqual([ana.username]);
    expect((await listed(`q=${p}`)).sort()).toEqual([ana.username, bob.username].sort());
    // A prefix, not a substring: the middle of a name finds no one.
    const res = await browser.get(`/admin/users?q=etrovic${p}`);
    expect(usernamesOn(res.text)).toEqual([]);
    expect(res.text).toContain('No one matches this search.');
  });

  it('takes % and _ as the characters they are, not as wildcards', async () => {
    const p = tag();
    const percent = await person(p, 'x', { firstName: `100%${p}` });
    const hundred = await person(p, 'z', { firstName: `100x${p}` });
    const underscore = await person(p, 'y', { firstName: `a_b${p}` });
    await person(p, 'w', { firstName: `axb${p}` });
    const backslash = await person(p, 'v', { firstName: `back\\slash${p}` });
    expect(await listed(`q=${encodeURIComponent('100%')}`)).toEqual([percent.username]);
    expect(await listed(`q=${encodeURIComponent('100x')}`)).toEqual([hundred.username]);
    expect(await listed(`q=${encodeURIComponent('a_b')}`)).toEqual([underscore.username]);
    expect(await listed(`q=${encodeURIComponent('back\\')}`)).toEqual([backslash.username]);
    // As wildcards these would find every account of this story.
    expect(await listed(`q=${encodeURIComponent(`%${p}`)}`)).toEqual([]);
    expect(await listed(`q=${encodeURIComponent(`_${p.slice(1)}`)}`)).toEqual([]);
  });

  it('narrows the list by every filter and every combination of them, and by the account source', async () => {
    const p = tag();
    const flags = ['locked', 'unverified', 'no_two_step', 'admin'] as const;
    const accounts: Array<{ username: string; states: Set<string>; source: string }> = [];
    for (let mask = 0; mask < 16; mask++) {
      const states = new Set(flags.filter((_, bit) => mask & (1 << bit)));
      const user = await person(p, `m${mask}`, { admin: states.has('admin'), emailVerified: !states.has('unverified') });
      if (states.has('locked')) await t.repos.users.setLocked(user.id, true, t.clock.now());
      if (!states.has('no_two_step')) await t.repos.users.setMfaEnabled(user.id, true, t.clock.now());
      accounts.push({ username: user.username, states, source: 'local' });
    }
    for (const source of ['ldap', 'oidc']) {
      const user = await person(p, source, { emailVerified: true });
      await t.deps.db('users').where({ id: user.id }).update({ source });
      accounts.push({ username: user.username, states: new Set(['no_two_step']), source });
    }
    for (let mask = 0; mask < 16; mask++) {
      const chosen = flags.filter((_, bit) => mask & (1 << bit));
      const expected = accounts.filter((a) => chosen.every((f) => a.states.has(f))).map((a) => a.username);
      const query = [`q=${p}`, ...chosen.map((f) => `filter=${f}`)].join('&');
      expect({ chosen, found: (await listed(query)).sort() }).toEqual({ chosen, found: expected.sort() });
    }
    expect(await listed(`q=${p}&source=ldap`)).toEqual([`${p}ldap`]);
    expect(await listed(`q=${p}&source=oidc&filter=no_two_step`)).toEqual([`${p}oidc`]);
    expect(await listed(`q=${p}&source=oidc&filter=unverified`)).toEqual([]);
    expect((await listed(`q=${p}&source=local`)).length).toBe(16);
    // The rows say so too.
    const page = await browser.get(`/admin/users?q=${p}m15`);
    expect(page.text).toMatch(/Administrator[\s\S]*Locked[\s\S]*Unverified[\s\S]*No two-step/);
    expect((await browser.get(`/admin/users?q=${p}ldap`)).text).toContain('LDAP directory');
  });

  it('sorts by name, by creation and by last sign-in, each way', async () => {
    const p = tag();
    t.clock.advance(60_000);
    const carol = await person(p, 'carol', { firstName: 'Carol', lastName: p });
    t.clock.advance(60_000);
    const alice = await person(p, 'alice', { firstName: 'alice', lastName: p });
    t.clock.advance(60_000);
    const bert = await person(p, 'bert', { firstName: 'Bert', lastName: p });
    // Alice signed in long ago, Carol just now; Bert never did.
    await signedIn(t, alice);
    t.clock.advance(60_000);
    await signedIn(t, carol);
    const q = `q=${p}`;
    expect(await listed(`${q}`)).toEqual([alice.username, bert.username, carol.username]);
    expect(await listed(`${q}&sort=name`)).toEqual([alice.username, bert.username, carol.username]);
    expect(await listed(`${q}&sort=-name`)).toEqual([carol.username, bert.username, alice.username]);
    expect(await listed(`${q}&sort=created`)).toEqual([carol.username, alice.username, bert.username]);
    expect(await listed(`${q}&sort=-created`)).toEqual([bert.username, alice.username, carol.username]);
    expect(await listed(`${q}&sort=-last_sign_in`)).toEqual([carol.username, alice.username, bert.username]);
    expect(await listed(`${q}&sort=last_sign_in`)).toEqual([bert.username, alice.username, carol.username]);
    const page = await browser.get(`/admin/users?q=${p}bert`);
    expect(page.text).toContain('Never');
  });
});

describe('Paging through many people', () => {
  it('shows every account exactly once across the pages, in every sort, and "Previous page" goes back', async () => {
    const p = tag();
    const usernames: string[] = [];
    for (let i = 0; i < 23; i++) {
      // Some share a name and a creation time, so the id has to break the tie.
      if (i % 3 === 0) t.clock.advance(1000);
      usernames.push((await person(p, `u${String(i).padStart(2, '0')}`, { firstName: i % 4 === 0 ? 'Same' : `N${i}`, lastName: 'Name' })).username);
    }
    for (const sort of ['name', '-name', 'created', '-created', 'last_sign_in', '-last_sign_in']) {
      const pages = await allPages(`q=${p}&sort=${sort}&limit=10`);
      expect(pages.map((page) => page.length)).toEqual([10, 10, 3]);
      expect(pages.flat().sort()).toEqual([...usernames].sort());
    }
    // From the last page back to the first, the same pages.
    const first = await browser.get(`/admin/users?q=${p}&limit=10`);
    expect(linkOn(first.text, 'prev')).toBeUndefined();
    const second = await browser.get(linkOn(first.text, 'next') as string);
    const third = await browser.get(linkOn(second.text, 'next') as string);
    const backToSecond = await browser.get(linkOn(third.text, 'prev') as string);
    expect(usernamesOn(backToSecond.text)).toEqual(usernamesOn(second.text));
    const backToFirst = await browser.get(linkOn(backToSecond.text, 'prev') as string);
    expect(usernamesOn(backToFirst.text)).toEqual(usernamesOn(first.text));
    expect(linkOn(backToFirst.text, 'prev')).toBeUndefined();
  });

  it('stays stable when an account is added while someone pages: no one is shown twice or skipped', async () => {
    const p = tag();
    const usernames: string[] = [];
    for (let i = 0; i < 15; i++) usernames.push((await person(p, `s${String(i).padStart(2, '0')}`, { firstName: `M${String(i).padStart(2, '0')}`, lastName: 'Stable' })).username);
    const first = await browser.get(`/admin/users?q=${p}&limit=5`);
    const seen = usernamesOn(first.text);
    // Someone new who sorts before everyone already shown.
    await person(p, 'newcomer', { firstName: 'A', lastName: 'Newcomer' });
    let next = linkOn(first.text, 'next');
    while (next) {
      const res = await browser.get(next);
      seen.push(...usernamesOn(res.text));
      next = linkOn(res.text, 'next');
    }
    expect(seen).toEqual(usernames);
  });
});

describe('Bad input is answered in words, never with a failure', () => {
  const cases: Array<[string, string, string]> = [
    ['an overlong search', `q=${'a'.repeat(201)}`, 'Must be 200 characters or fewer'],
    ['two searches at once', 'q=a&q=b', 'Enter this as text'],
    ['an unknown sort', 'sort=password_hash', 'Choose a sort order from the list'],
    ['two sorts', 'sort=name&sort=-name', 'Choose a sort order from the list'],
    ['an unknown filter', 'filter=locked&filter=everyone', 'Choose filters from the list'],
    ['an unknown source', 'source=kerberos', 'Choose an account source from the list'],
    ['a page size out of range', 'limit=1000', 'The page size must be a whole number from 1 to 100'],
    ['a garbage cursor', 'cursor=%27%3B%20drop%20table%20users%3B--', 'This page link is broken'],
    ['a control character', 'q=a%00b', 'Must not contain line breaks or control characters'],
    ['bytes that are not UTF-8', 'q=%FF%FE', 'Contains characters that could not be read'],
  ];
  it.each(cases)('%s', async (_name, query, message) => {
    const res = await browser.get(`/admin/users?${query}`);
    expect(res.status).toBe(422);
    expect(res.text).toContain(message);
    // The form is there to fix the search with.
    expect(res.text).toContain('role="search"');
  });

  it('refuses a cursor forged with a date PostgreSQL would reject, or one made for another sort', async () => {
    const forge = (payload: object) => Buffer.from(JSON.stringify(payload)).toString('base64url');
    const id = crypto.randomUUID();
    const forged = [
      forge({ s: 'created', d: 'next', k: '2026-02-30T10:00:00.000000Z', i: id }),
      forge({ s: 'created', d: 'next', k: 'yesterday', i: id }),
      forge({ s: 'name', d: 'next', k: 'ana', i: 'not-a-uuid' }),
      forge({ s: 'name', d: 'next', k: 'a\u0000b', i: id }),
      forge({ s: '-created', d: 'next', k: '2026-01-01T10:00:00.000000Z', i: id }),
    ];
    for (const cursor of forged) {
      const res = await browser.get(`/admin/users?sort=created&cursor=${cursor}`);
      expect(res.status).toBe(422);
      expect(res.text).toContain('This page link is broken');
    }
    const fine = await browser.get(`/admin/users?sort=created&cursor=${forge({ s: 'created', d: 'next', k: '2026-01-01T10:00:00.000000Z', i: id })}`);
    expect(fine.status).toBe(200);
  });

  it('shows hostile names as text', async () => {
    const p = tag();
    await person(p, 'h', { firstName: `<script>alert(1)</script>${p}`, lastName: `"><img src=x>` });
    const res = await browser.get(`/admin/users?q=${encodeURIComponent(`<script>alert(1)</script>${p}`)}`);
    expect(res.status).toBe(200);
    expect(res.text).not.toContain('<script>alert(1)');
    expect(res.text).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(res.text).not.toContain('<img src=x>');
  });
});

describe('What the list shows and to whom', () => {
  it('names each person with their picture or initials, email and dates, and no secret', async () => {
    const p = tag();
    const someone = await person(p, 'shown', { firstName: 'Sven', lastName: 'Shown', emailVerified: true });
    await t.repos.users.setRecoveryEmail(someone.id, `hidden.${p}@example.org`, t.clock.now(), t.clock.now());
    const res = await browser.get(`/admin/users?q=${p}`);
    expect(res.text).toContain(`href="/admin/users/${someone.username}"`);
    expect(res.text).toContain('Sven Shown');
    expect(res.text).toContain(`@${someone.username}`);
    expect(res.text).toContain(someone.email);
    expect(res.text).toContain('>SS<');
    expect(res.text).toContain('1 person');
    expect(res.text).not.toContain(someone.passwordHash as string);
    expect(res.text).not.toMatch(/\$2[aby]\$/);
    expect(res.text).not.toContain(`hidden.${p}`);
  });

  it('is the ordinary 404 page for everyone but administrators', async () => {
    const plain = await createUser(t);
    const theirs = await signedIn(t, plain);
    expect((await theirs.get('/admin/users?q=a')).status).toBe(404);
  });
});

describe('The same list through the API', () => {
  const api = (query: string) => browser.agent.get(`/api/v1/admin/users?${query}`).set('Accept', 'application/json');

  it('GET /api/v1/admin/users returns the people the page shows, page by page, with their state and no secret', async () => {
    const p = tag();
    for (let i = 0; i < 7; i++) await person(p, `a${i}`, { firstName: `F${i}`, lastName: 'Api', emailVerified: i % 2 === 0 });
    for (const query of [`q=${p}&limit=3`, `q=${p}&sort=-created&limit=3`, `q=${p}&filter=unverified`, `q=${p}&sort=-last_sign_in&filter=no_two_step&limit=2`]) {
      const fromApi: string[] = [];
      let cursor: string | null = null;
      do {
        const res = await api(cursor ? `${query}&cursor=${cursor}` : query);
        expect(res.status).toBe(200);
        fromApi.push(...(res.body.people as Array<{ username: string }>).map((x) => x.username));
        cursor = res.body.next_cursor as string | null;
      } while (cursor);
      expect(fromApi).toEqual((await allPages(query)).flat());
    }
    const res = await api(`q=${p}a0`);
    expect(res.body).toMatchObject({ count: 1, count_capped: false, next_cursor: null, previous_cursor: null });
    expect(res.body.people[0]).toMatchObject({ username: `${p}a0`, first_name: 'F0', last_name: 'Api', email_verified: true, role: 'user', source: 'local', locked: false, two_step: false, last_sign_in_at: null });
    expect(Object.keys(res.body.people[0]).sort()).toEqual(['avatar_url', 'created_at', 'email', 'email_verified', 'first_name', 'id', 'last_name', 'last_sign_in_at', 'locked', 'locked_at', 'role', 'source', 'two_step', 'username']);
  });

  it('answers bad parameters with 422 and a message for each', async () => {
    const res = await api(`q=${'x'.repeat(201)}&sort=nope&cursor=%%%`);
    expect(res.status).toBe(422);
    expect(res.body.error.code).toBe('validation_failed');
    expect(res.body.error.fields).toEqual({ q: 'Must be 200 characters or fewer', sort: 'Choose a sort order from the list' });
    const cursor = await api('cursor=garbage');
    expect(cursor.status).toBe(422);
    expect(cursor.body.error.fields).toEqual({ cursor: 'This page link is broken or belongs to another sort order. Start again from the first page.' });
  });

  it('is described in the OpenAPI document with its query parameters', async () => {
    const doc = await browser.agent.get('/api/v1/openapi.json');
    const operation = doc.body.paths['/admin/users'].get;
    expect(operation.operationId).toBe('adminListUsers');
    expect(operation.tags).toEqual(['Administration']);
    expect(operation.parameters.map((x: { name: string; in: string }) => `${x.in}:${x.name}`)).toEqual(['query:q', 'query:filter', 'query:source', 'query:sort', 'query:cursor', 'query:limit']);
  });
});
