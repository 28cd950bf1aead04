import request from 'supertest';
import { describeApp } from '../../helpers/app';
import { USER_AGENTS } from '../../helpers/browser-agent';
import { createUser, signedIn, type UserSpec } from '../../helpers/factories';
import { OPERATOR, type AdminAuditInput } from '../../../src/features/admin/admin-audit.repository';

const t = describeApp();

type Person = Awaited<ReturnType<typeof createUser>>;

/** An administrator signed in to the console, and a way to write entries as them. */
async function administrator(spec: UserSpec = {}) {
  const admin = await createUser(t, { admin: true, ...spec });
  const browser = await signedIn(t, admin);
  const record = (entry: Partial<AdminAuditInput> & { action: string }) => t.repos.adminAudit.record({ actor: admin, now: t.clock.now(), ...entry });
  return { admin, browser, record };
}

/** The text of the list's entries, one string per entry, tags stripped. */
function listed(html: string): string[] {
  const list = /<ol class="activity-list audit-list">([\s\S]*?)<\/ol>/.exec(html)?.[1] ?? '';
  return [...list.matchAll(/<li class="activity">([\s\S]*?)<\/li>/g)].map((m) => (m[1] as string).replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ').trim());
}

const tag = () => Math.random().toString(36).slice(2, 8);

describe('The audit log page', () => {
  it('lists who did what to whom, when and from where, newest first', async () => {
    const { admin, browser, record } = await administrator();
    const person = await createUser(t, { username: `ada${tag()}` });
    await record({ target: person, action: 'user_locked', ip: '203.0.113.7', userAgent: USER_AGENTS.firefoxLinuxArm, data: { reason: '<script>alert(1)</script>' } });
    t.clock.advance(60_000);
    await t.repos.adminAudit.record({ actor: OPERATOR, target: person, action: 'two_step_reset', now: t.clock.now() });
    t.clock.advance(60_000);
    await record({ action: 'something_new_from_a_later_version', ip: '2001:db8::1', userAgent: 'curl/8.5.0' });

    const page = await browser.get(`/admin/audit?person=${person.username}`);
    expect(page.status).toBe(200);
    expect(page.text).toContain('<h1 id="page-title" class="profile__title">Audit log</h1>');
    const entries = listed(page.text);
    expect(entries).toHaveLength(2);
    expect(entries[0]).toContain('Two-step verification reset');
    expect(entries[0]).toContain('by Operator (command line)');
    expect(entries[1]).toContain('Account locked');
    expect(entries[1]).toContain(`by @${admin.username}`);
    expect(entries[1]).toContain('203.0.113.7');
    expect(entries[1]).toContain('Firefox 133 · Linux');
    // The person still has an account: their name leads to their page in the console.
    expect(page.text).toContain(`<a href="/admin/users/${person.username}">@${person.username}</a>`);
    // What an entry's data says is shown as text, never as markup.
    expect(page.text).toContain('reason: &lt;script&gt;alert(1)&lt;/script&gt;');
    expect(page.text).not.toContain('<script>alert(1)');
    expect(page.text).toMatch(/<time datetime="[^"]+"/);

    const all = listed((await browser.get(`/admin/audit?administrator=${admin.username}`)).text);
    // A kind this version has no words for is shown by its name; a program by its name.
    expect(all[0]).toContain('something_new_from_a_later_version');
    expect(all[0]).toContain('2001:db8::1 · curl/8.5.0');
  });

  it('keeps a deleted person\'s entries, with their name and no link', async () => {
    const { browser, record } = await administrator();
    const person = await createUser(t, { username: `gone${tag()}` });
    await record({ target: person, action: 'user_deleted' });
    await t.services.accountDeletion.delete(person, { ip: '127.0.0.1', userAgent: 'test', locale: 'en' });

    const page = await browser.get(`/admin/audit?person=${person.username}`);
    expect(listed(page.text)).toEqual([expect.stringContaining(`Account deleted concerning @${person.username} (account deleted)`)]);
    expect(page.text).not.toContain(`href="/admin/users/${person.username}"`);
  });

  it('filters by administrator, person (either in any case), kind and days, and says when nothing matches', async () => {
    const grace = await createUser(t, { admin: true, username: `Grace${tag()}` });
    const other = await createUser(t, { admin: true });
    const ada = await createUser(t);
    const alan = await createUser(t);
    const record = (actor: Person, at: string, entry: { target: Person; action: string }) => t.repos.adminAudit.record({ actor, now: new Date(at), ...entry });
    await record(grace, '2026-03-10T12:00:00Z', { target: ada, action: 'user_locked' });
    await record(grace, '2026-03-11T23:59:59Z', { target: alan, action: 'role_changed' });
    await record(other, '2026-03-12T00:00:00Z', { target: ada, action: 'user_unlocked' });
    const first = { admin: grace, browser: await signedIn(t, grace) };

    const shown = async (query: string) => listed((await first.browser.get(`/admin/audit?${query}`)).text).map((e) => e.split(' concerning')[0]);
    expect(await shown(`administrator=${first.admin.username.toUpperCase()}`)).toEqual(['Role changed', 'Account locked']);
    expect(await shown(`person=${ada.username}`)).toEqual(['Account unlocked', 'Account locked']);
    expect(await shown(`person=${ada.username}&kind=user_locked`)).toEqual(['Account locked']);
    expect(await shown(`administrator=${first.admin.username}&from=2026-03-11&to=2026-03-11`)).toEqual(['Role changed']);
    expect(await shown(`person=${ada.username}&from=2026-03-12`)).toEqual(['Account unlocked']);
    expect(await shown(`person=${ada.username}&to=2026-03-11`)).toEqual(['Account locked']);

    const none = await first.browser.get(`/admin/audit?person=${alan.username}&kind=user_locked`);
    expect(none.text).toContain('No entries match these filters.');
    // The form shows the filters it applied, and the kinds by their names.
    expect(none.text).toContain(`value="${alan.username}"`);
    expect(none.text).toContain('<option value="user_locked" selected>Account locked</option>');
  });

  it('pages through many entries by keyset, older and newer, keeping the filters', async () => {
    const { admin, browser } = await administrator();
    const person = await createUser(t);
    const rows = Array.from({ length: 120 }, (_, i) => ({ created_at: new Date(t.clock.now().getTime() + i * 1000), actor_id: admin.id, actor_username: admin.username, target_id: person.id, target_username: person.username, action: 'session_ended', data: JSON.stringify({ n: i }) }));
    await t.deps.db('admin_audit').insert(rows);
    const numbers = (html: string) => listed(html).map((e) => Number(/n: (\d+)/.exec(e)?.[1]));
    const link = (html: string, rel: string) => new RegExp(`rel="${rel}" href="([^"]+)"`).exec(html)?.[1]?.replace(/&amp;/g, '&');

    const first = await browser.get(`/admin/audit?person=${person.username}`);
    expect(numbers(first.text)).toEqual(Array.from({ length: 50 }, (_, i) => 119 - i));
    expect(link(first.text, 'prev')).toBeUndefined();
    const second = await browser.get(link(first.text, 'next') as string);
    expect(link(first.text, 'next')).toContain(`person=${person.username}`);
    expect(numbers(second.text)).toEqual(Array.from({ length: 50 }, (_, i) => 69 - i));
    const third = await browser.get(link(second.text, 'next') as string);
    expect(numbers(third.text)).toEqual(Array.from({ length: 20 }, (_, i) => 19 - i));
    expect(link(third.text, 'next')).toBeUndefined();
    const back = await browser.get(link(third.text, 'prev') as string);
    expect(numbers(back.text)).toEqual(numbers(second.text));
    const start = await browser.get(link(back.text, 'prev') as string);
    expect(numbers(start.text)).toEqual(numbers(first.text));
    expect(link(start.text, 'prev')).toBeUndefined();
  });

  it('says so when nobody has acted yet', async () => {
    const { browser } = await administrator();
    await t.deps.db.transaction(async (trx) => {
      await trx.raw("set local atrium.audit_retention = 'on'");
      await trx('admin_audit').del();
    });
    const page = await browser.get('/admin/audit');
    expect(page.text).toContain('No administrator has acted yet.');
    expect(page.text).not.toContain('rel="next"');
  });

  it('answers bad filters with the form, a translated message beside each field and 422, never a failure', async () => {
    const { browser } = await administrator();
    const cases: Array<[string, string]> = [
      ['from=2026-02-30', 'Enter a date as YYYY-MM-DD, for example 2026-03-31.'],
      ['to=yesterday', 'Enter a date as YYYY-MM-DD, for example 2026-03-31.'],
      ['from=2026-03-12&to=2026-03-11', 'The end date must not be before the start date.'],
      ['kind=drop_table', 'Choose a kind from the list.'],
      ['kind=user_locked&kind=user_unlocked', 'Choose a kind from the list.'],
      ['before=1%20or%201=1', 'This page link is not valid; start again from the newest entries.'],
      [`administrator=${'a'.repeat(65)}`, 'Must be 64 characters or fewer'],
      ['person=ada&person=alan', 'Enter this as text'],
      ['person=%00', 'Must not contain line breaks or control characters'],
    ];
    for (const [query, message] of cases) {
      const res = await browser.get(`/admin/audit?${query}`);
      expect({ query, status: res.status }).toEqual({ query, status: 422 });
      expect(res.text).toContain('error-summary');
      expect(res.text).toContain(message);
    }
    const german = await administrator({ language: 'de' });
    const res = await german.browser.get('/admin/audit?from=2026-02-30');
    expect(res.status).toBe(422);
    expect(res.text).toContain('Geben Sie ein Datum als JJJJ-MM-TT ein, zum Beispiel 2026-03-31.');
  });

  it('is the ordinary 404 for everyone but administrators, exports included', async () => {
    const person = await createUser(t);
    const browser = await signedIn(t, person);
    for (const path of ['/admin/audit', '/admin/audit.csv', '/admin/audit.json']) {
      expect((await browser.get(path)).status).toBe(404);
      expect((await request(t.app).get(path)).status).toBe(404);
    }
  });
});

describe('The audit log exports', () => {
  async function withEntries() {
    t.clock.set(new Date('2026-05-01T08:00:00Z'));
    const { admin, browser, record } = await administrator();
    const person: Person = await createUser(t, { username: `csv${tag()}` });
    await record({ target: person, action: 'policy_changed', ip: '198.51.100.4', userAgent: '=HYPERLINK("http://evil.example","click")', data: { note: 'says "hi", then\nleaves' } });
    t.clock.advance(1000);
    await record({ target: person, action: 'user_locked', userAgent: '+cmd|calc', data: { reason: '@SUM(1+1)' } });
    t.clock.advance(1000);
    await record({ target: person, action: 'user_unlocked', userAgent: '-2+3', data: {} });
    await t.repos.adminAudit.record({ actor: OPERATOR, target: person, action: 'user_unlocked', userAgent: '\tTab', now: t.clock.now() });
    return { admin, browser, person };
  }

  /** RFC 4180 records: quoted fields may hold commas, quotes (doubled) and line breaks. */
  function parseCsv(text: string): string[][] {
    const records: string[][] = [];
    let record: string[] = [];
    let field = '';
    let quoted = false;
    const endField = () => {
      record.push(field);
      field = '';
    };
    for (let i = 0; i < text.length; i++) {
      const c = text[i] as string;
      if (quoted && c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') {
        quoted = !quoted;
      } else if (!quoted && c === ',') {
        endField();
      } else if (!quoted && c === '\r' && text[i + 1] === '\n') {
        endField();
        records.push(record);
        record = [];
        i++;
      } else {
        field += c;
      }
    }
    return records;
  }

  it('CSV: a header, one quoted record per entry, formulas defused, as a dated attachment', async () => {
    const { admin, browser, person } = await withEntries();
    const res = await browser.agent.get(`/admin/audit.csv?person=${person.username}`);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(res.headers['content-disposition']).toBe('attachment; filename="audit-2026-05-01.csv"');
    const records = parseCsv(res.text);
    expect(records[0]).toEqual(['id', 'created_at', 'actor_id', 'actor_username', 'action', 'target_id', 'target_username', 'ip', 'user_agent', 'data']);
    expect(records.slice(1).map((r) => [r[3], r[4], r[8]])).toEqual([
      ['operator', 'user_unlocked', "'\tTab"],
      [admin.username, 'user_unlocked', "'-2+3"],
      [admin.username, 'user_locked', "'+cmd|calc"],
      [admin.username, 'policy_changed', `'=HYPERLINK("http://evil.example","click")`],
    ]);
    const oldest = records[4] as string[];
    expect(oldest[1]).toBe('2026-05-01T08:00:00.000Z');
    expect(oldest[2]).toBe(admin.id);
    expect(oldest[6]).toBe(person.username);
    expect(oldest[7]).toBe('198.51.100.4');
    expect(JSON.parse(oldest[9] as string)).toEqual({ note: 'says "hi", then\nleaves' });
    expect(records[1]?.[2]).toBe('');
    // The raw text: the quote is doubled inside a quoted field.
    expect(res.text).toContain('"\'=HYPERLINK(""http://evil.example"",""click"")"');
  });

  it('JSON: the same entries, as the API shows them', async () => {
    const { admin, browser, person } = await withEntries();
    const res = await browser.agent.get(`/admin/audit.json?person=${person.username}&kind=user_unlocked`);
    expect(res.status).toBe(200);
    expect(res.headers['content-disposition']).toBe('attachment; filename="audit-2026-05-01.json"');
    const entries = JSON.parse(res.text);
    expect(entries).toEqual([
      expect.objectContaining({ action: 'user_unlocked', actor: { id: null, username: 'operator', operator: true }, target: { id: person.id, username: person.username, exists: true }, user_agent: '\tTab' }),
      expect.objectContaining({ action: 'user_unlocked', actor: { id: admin.id, username: admin.username, operator: false }, data: {} }),
    ]);
  });

  it('exports every matching entry, not one page', async () => {
    const { admin, browser } = await administrator();
    const rows = Array.from({ length: 1234 }, (_, i) => ({ created_at: t.clock.now(), actor_id: admin.id, actor_username: admin.username, action: 'policy_changed', data: JSON.stringify({ n: i }) }));
    for (let i = 0; i < rows.length; i += 500) await t.deps.db('admin_audit').insert(rows.slice(i, i + 500));
    const csv = await browser.agent.get(`/admin/audit.csv?administrator=${admin.username}`);
    expect(parseCsv(csv.text)).toHaveLength(1235);
    const json = JSON.parse((await browser.agent.get(`/admin/audit.json?administrator=${admin.username}`)).text) as Array<{ data: { n: number } }>;
    expect(json.map((e) => e.data.n)).toEqual(Array.from({ length: 1234 }, (_, i) => 1233 - i));
  });

  it('refuses bad filters with 422 in words: a page for the CSV, JSON for the JSON', async () => {
    const { browser } = await administrator();
    const german = await administrator({ language: 'de' });
    const csv = await browser.get('/admin/audit.csv?from=2026-13-01');
    expect(csv.status).toBe(422);
    expect(csv.text).toContain('Enter a date as YYYY-MM-DD');
    const json = await german.browser.agent.get('/admin/audit.json?kind=nope');
    expect(json.status).toBe(422);
    expect(json.body.error).toMatchObject({ code: 'validation_failed', fields: { kind: 'Wählen Sie eine Art aus der Liste.' } });
  });
});

describe('GET /api/v1/admin/audit', () => {
  it('gives programs the same entries, filters and keyset cursors', async () => {
    const { admin, browser, record } = await administrator();
    const person = await createUser(t);
    for (const action of ['user_locked', 'user_unlocked', 'user_locked', 'role_changed', 'user_locked']) await record({ target: person, action, ip: '192.0.2.1', userAgent: USER_AGENTS.iphoneSafari });
    const api = (query: string) => browser.agent.get(`/api/v1/admin/audit?${query}`).set('Accept', 'application/json');

    const first = await api(`person=${person.username}&kind=user_locked&limit=2`);
    expect(first.status).toBe(200);
    expect(first.body.entries).toHaveLength(2);
    expect(first.body.entries[0]).toMatchObject({ action: 'user_locked', actor: { id: admin.id, username: admin.username, operator: false }, target: { id: person.id, username: person.username, exists: true }, ip: '192.0.2.1', user_agent: USER_AGENTS.iphoneSafari });
    expect(first.body.newer_cursor).toBeNull();
    const second = await api(`person=${person.username}&kind=user_locked&limit=2&before=${first.body.older_cursor}`);
    expect(second.body.entries).toHaveLength(1);
    expect(second.body.older_cursor).toBeNull();
    expect(Number(second.body.entries[0].id)).toBeLessThan(Number(first.body.entries[1].id));
    const back = await api(`person=${person.username}&kind=user_locked&limit=2&after=${second.body.newer_cursor}`);
    expect(back.body.entries).toEqual(first.body.entries);
  });

  it('refuses bad filters with 422 and a translated message per field', async () => {
    const { browser } = await administrator();
    const res = await browser.agent.get('/api/v1/admin/audit?from=2026-02-30&kind=x&limit=500&before=abc').set('Accept', 'application/json');
    expect(res.status).toBe(422);
    expect(res.body.error.fields).toEqual({
      kind: 'Choose a kind from the list.',
      from: 'Enter a date as YYYY-MM-DD, for example 2026-03-31.',
      before: 'This page link is not valid; start again from the newest entries.',
      limit: 'Ask for 1 to 200 entries.',
    });
  });

  it('is in the OpenAPI document with its query parameters, for the admin scope', async () => {
    const doc = (await request(t.app).get('/api/v1/openapi.json')).body;
    const op = doc.paths['/admin/audit'].get;
    expect(op).toMatchObject({ operationId: 'adminListAudit', tags: ['Administration'], 'x-scope': 'admin' });
    expect(op.parameters.map((p: { name: string; in: string }) => `${p.in}:${p.name}`)).toEqual(['administrator', 'person', 'kind', 'from', 'to', 'before', 'after', 'limit'].map((n) => `query:${n}`));
    expect(Object.keys(op.responses)).toEqual(expect.arrayContaining(['200', '401', '403', '422']));
  });
});
