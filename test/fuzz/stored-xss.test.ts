import ejs from 'ejs';
import { describeApp } from '../helpers/app';
import { Visitor } from '../helpers/browser-agent';
import { GOOD_PASSWORD, createUser, signedIn } from '../helpers/factories';
import type { CaughtMail } from '../helpers/mail-catcher';
import { HOSTILE_HINTED, HOSTILE_PHONE, POLYGLOT_AGENT, addNamedPasskey, apiAnswers, fillCredentials, pagesAt, signInWithHeaders, signInWithRecoveryCode, signedInPaths, submitForm, type Shown } from './hostile-person';
import { HOSTILE_HINTS, MARKER, POLYGLOT, POLYGLOT_100, POLYGLOT_60, inspectHtml, payloadsWithin, showsVerbatim } from './xss-payloads';

const ORIGIN = 'http://localhost:3000';
const t = describeApp({ BASE_URL: ORIGIN }, { mail: true });

const NAMES = payloadsWithin(100);
const NEW_PASSWORD = 'orchid lantern 2048 pelican';
const CREDENTIAL_NAMES = payloadsWithin(60);

/** Every string in a JSON value, however deep. */
const stringsIn = (value: unknown): string[] =>
  typeof value === 'string' ? [value] : value && typeof value === 'object' ? Object.values(value).flatMap(stringsIn) : [];

/** What is wrong with the pages of one walk: anything live, or a page that fails to show the person's name as text. */
function pageProblems(pages: Shown[], firstName: string): string[] {
  const problems: string[] = [];
  for (const page of pages) {
    if (page.status !== 200) problems.push(`${page.path}: status ${page.status}`);
    if (page.headers['x-content-type-options'] !== 'nosniff') problems.push(`${page.path}: no nosniff`);
    if (page.type !== 'text/html') {
      // Downloads (the data export, the recovery codes file) are attachments, never documents.
      if (!String(page.headers['content-disposition']).startsWith('attachment')) problems.push(`${page.path}: ${page.type} shown inline`);
      continue;
    }
    const inspected = inspectHtml(page.text, page.path);
    problems.push(...inspected.problems);
    if (!showsVerbatim(inspected, firstName)) problems.push(`${page.path}: the first name is not shown as text`);
  }
  return problems;
}

function mailProblems(mails: CaughtMail[], firstName: string): string[] {
  const problems: string[] = [];
  for (const mail of mails) {
    const where = `mail "${mail.subject}"`;
    const inspected = inspectHtml(mail.html, where);
    problems.push(...inspected.problems);
    if (mail.html && !showsVerbatim(inspected, firstName)) problems.push(`${where}: the greeting does not show the first name as text`);
    if (!mail.text.includes(firstName)) problems.push(`${where}: the text part does not greet by the first name, verbatim`);
    if (mail.subject.match(MARKER)) problems.push(`${where}: payload in the subject`);
  }
  return problems;
}

function jsonProblems(answers: Shown[], expected: string[]): string[] {
  const problems: string[] = [];
  for (const answer of answers) {
    if (answer.status !== 200) problems.push(`${answer.path}: status ${answer.status}`);
    if (answer.type !== 'application/json') problems.push(`${answer.path}: ${answer.type}`);
    if (answer.headers['x-content-type-options'] !== 'nosniff') problems.push(`${answer.path}: no nosniff`);
  }
  const strings = answers.flatMap((a) => stringsIn(JSON.parse(a.text)));
  for (const value of expected) if (!strings.some((s) => s.includes(value))) problems.push(`the API never returns ${value} as it was set`);
  return problems;
}

describe('The inspector', () => {
  it('finds a payload that a template did not escape, and passes the same payload escaped', () => {
    const page = (name: string) => `<!doctype html><html><head><title>Tokens</title></head><body><h3>${name}</h3><input name="n" value="${name}"><input name='m' value='${name}'></body></html>`;
    for (const payload of payloadsWithin(200)) {
      // Template syntax and a bare javascript: URL are harmless as HTML text; they are checked for being shown verbatim.
      if (/<[a-z/!]|["']/i.test(payload)) expect({ payload, problems: inspectHtml(page(payload), 'unescaped').problems }).not.toEqual({ payload, problems: [] });
      const escaped = ejs.render('<h3><%= name %></h3><input name="n" value="<%= name %>"><textarea><%= name %></textarea>', { name: payload });
      const inspected = inspectHtml(escaped, 'escaped');
      expect(inspected.problems).toEqual([]);
      expect(showsVerbatim(inspected, payload)).toBe(true);
    }
    expect(inspectHtml('<a href=" jav&#x09;ascript:alert(xssmark08)//">x</a>', 'link').problems).not.toEqual([]);
    expect(inspectHtml('<script>var name = "xssmark01";</script>', 'script').problems).toHaveLength(1);
    expect(inspectHtml('<p title="a" x="xssmark01"">b</p>', 'broken out').problems).not.toEqual([]);
    expect(inspectHtml('<p>b</p><!-- xssmark02 -->', 'comment').problems).not.toEqual([]);
  });
});

describe('A person who types script into every field', () => {
  it('sees it as text on every page, in every JSON answer and in every mail', async () => {
    const visitor = new Visitor(t.app);
    const tooLong = await submitForm(visitor, '/signup', { first_name: POLYGLOT, last_name: POLYGLOT_100, email: 'mallory@example.com', username: 'mallory', password: GOOD_PASSWORD, password_confirm: GOOD_PASSWORD });
    expect(tooLong.status).toBe(422);
    expect(tooLong.text).toContain('Must be 100 characters or fewer');
    expect(inspectHtml(tooLong.text, 'sign-up refused').problems).toEqual([]);

    let firstName = NAMES[0] as string;
    const signUp = await submitForm(visitor, '/signup', { first_name: firstName, last_name: NAMES[1] as string, email: 'mallory@example.com', username: 'mallory', password: GOOD_PASSWORD, password_confirm: GOOD_PASSWORD });
    expect(signUp.status).toBe(303);
    const person = { username: 'mallory', password: GOOD_PASSWORD };
    for (const device of [HOSTILE_PHONE, HOSTILE_HINTED]) await signInWithHeaders(t, person, device);
    await signInWithHeaders(t, person, POLYGLOT_AGENT);
    await t.deliverMail();
    expect(mailProblems(t.mail.messages, firstName)).toEqual([]);
    expect(t.mail.messages.map((m) => m.subject)).toEqual(expect.arrayContaining(['Confirm your email address for Atrium', expect.stringMatching(/new sign-in/i)]));

    // Rounds of two payloads: the names change, and tokens, app passwords, SSH keys and passkeys are added.
    const paths = await signedInPaths(t);
    const recoveryCodes: string[] = [];
    for (let round = 0; round < NAMES.length; round += 2) {
      t.mail.clear();
      firstName = NAMES[round] as string;
      const renamed = await submitForm(visitor, '/profile/account', { first_name: firstName, last_name: NAMES[(round + 1) % NAMES.length] as string }, '/profile/account/name');
      expect(renamed.status).toBe(303);
      for (const at of [round, round + 1].filter((i) => i < NAMES.length)) {
        const name = NAMES[at] as string;
        recoveryCodes.push(...(await fillCredentials(visitor, ORIGIN, CREDENTIAL_NAMES[at % CREDENTIAL_NAMES.length] as string, name, at === 0 ? POLYGLOT : name)));
      }
      expect(pageProblems(await pagesAt(visitor, paths), firstName)).toEqual([]);
      await t.deliverMail();
      expect(t.mail.messages.length).toBeGreaterThanOrEqual(4);
      expect(mailProblems(t.mail.messages, firstName)).toEqual([]);
    }

    const pages = new Map((await pagesAt(visitor, paths)).map((p) => [p.path, inspectHtml(p.text, p.path)]));
    const shownOn = (path: string, payloads: string[]) => payloads.filter((p) => !showsVerbatim(pages.get(path) as ReturnType<typeof inspectHtml>, p));
    expect(shownOn('/profile/tokens', CREDENTIAL_NAMES)).toEqual([]);
    expect(shownOn('/profile/app-passwords', CREDENTIAL_NAMES)).toEqual([]);
    expect(shownOn('/profile/security', CREDENTIAL_NAMES)).toEqual([]);
    expect(shownOn('/profile/keys', [...NAMES, POLYGLOT])).toEqual([]);
    expect(shownOn('/profile/sessions', [POLYGLOT_100, '</title><svg/onload=alert(xssmark14)>'])).toEqual([]);
    expect(shownOn('/profile/activity?kind=token_created', [CREDENTIAL_NAMES.at(-1) as string])).toEqual([]);
    expect(shownOn('/profile/activity?kind=sign_in', [POLYGLOT.split(/\s/)[0] as string])).toEqual([]);

    const answers = await apiAnswers(t, visitor);
    expect(answers.map((a) => a.path)).toEqual(expect.arrayContaining(['/api/v1/users/me', '/api/v1/users/me/tokens', '/api/v1/users/me/ssh-keys', '/api/v1/users/me/sessions', '/api/v1/users/me/export']));
    expect(jsonProblems(answers, [firstName, ...CREDENTIAL_NAMES, ...NAMES, POLYGLOT])).toEqual([]);
    const sessions = answers.find((a) => a.path === '/api/v1/users/me/sessions') as Shown;
    expect(jsonProblems([sessions], [POLYGLOT_100, HOSTILE_HINTS['Sec-CH-UA-Model'].slice(1, -1)])).toEqual([]);

    // The rest of the mail that greets a person by name.
    t.mail.clear();
    t.clock.advance(60_000);
    expect(await t.services.apiTokens.remindExpiring()).toBe(CREDENTIAL_NAMES.length + 1);
    expect((await new Visitor(t.app).submit('/forgot-password', { email: 'mallory@example.com' })).status).toBe(200);
    expect((await submitForm(visitor, '/profile/account', { email: 'mallory.new@example.com' }, '/profile/account/email')).status).toBe(303);
    expect((await submitForm(visitor, '/profile/password', { current_password: GOOD_PASSWORD, password: NEW_PASSWORD, password_confirm: NEW_PASSWORD })).status).toBe(303);
    await t.deliverMail();
    const kinds = t.mail.messages.map((m) => m.subject);
    expect(kinds).toEqual(expect.arrayContaining([expect.stringMatching(/expires/i), expect.stringMatching(/reset/i), expect.stringMatching(/confirm/i), expect.stringMatching(/password/i)]));
    expect(mailProblems(t.mail.messages, firstName)).toEqual([]);

    // A new password ended every session: the farewell comes after signing in again.
    t.mail.clear();
    const again = await signInWithRecoveryCode(t, { username: 'mallory', password: NEW_PASSWORD }, recoveryCodes[0] as string);
    expect((await submitForm(again, '/profile/delete', { confirm_username: 'mallory' })).status).toBe(303);
    await t.deliverMail();
    expect(t.mail.messages.map((m) => m.subject)).toEqual(expect.arrayContaining([expect.stringMatching(/deleted/i)]));
    expect(mailProblems(t.mail.messages, firstName)).toEqual([]);
  });
});

describe('A form that refuses a payload', () => {
  it('says why, and shows what was typed back as text', async () => {
    const user = await createUser(t);
    const visitor = await signedIn(t, user);
    await addNamedPasskey(visitor, ORIGIN, 'Phone');
    const passkey = (await t.repos.authenticators.listPasskeys(user.id))[0] as { id: string };
    const hostileEmail = "o'neil{{7*7}}/*=*/@example.com";
    const forms: Array<[string, string, Record<string, string>, string]> = [
      ['/profile/account', '/profile/account/name', { first_name: POLYGLOT, last_name: POLYGLOT_100 }, 'Must be 100 characters or fewer'],
      ['/profile/account', '/profile/account/email', { email: `${POLYGLOT_60}@example.com` }, 'Enter an email address in the correct format'],
      ['/profile/tokens', '/profile/tokens', { name: POLYGLOT_100, scope: 'read', expires: '7', allowed_ips: POLYGLOT }, 'Must be 60 characters or fewer'],
      ['/profile/app-passwords', '/profile/app-passwords', { name: POLYGLOT_100, scope: 'read' }, 'Must be 60 characters or fewer'],
      ['/profile/keys', '/profile/keys', { title: POLYGLOT, key: POLYGLOT }, 'Must be 100 characters or fewer'],
      ['/profile/security', `/profile/security/passkeys/${passkey.id}/rename`, { name: POLYGLOT_100 }, 'Must be 60 characters or fewer'],
    ];
    for (const [page, action, fields, message] of forms) {
      const res = await submitForm(visitor, page, fields, action);
      expect({ action, status: res.status }).toEqual({ action, status: 422 });
      expect(res.text).toContain(message);
      const inspected = inspectHtml(res.text, action);
      expect(inspected.problems).toEqual([]);
      for (const typed of Object.values(fields).filter((v) => v.length > 10)) expect({ action, typed, shown: showsVerbatim(inspected, typed) }).toEqual({ action, typed, shown: true });
    }
    // Addresses and query strings are typed too: pages that echo them (not-found pages, filters, return links).
    const inUrl = encodeURIComponent(POLYGLOT_60);
    for (const path of [`/profile/activity?kind=${inUrl}&before=${inUrl}`, `/profile/${inUrl}`, `/reauth?next=${inUrl}`, `/profile/sessions/${inUrl}/revoke`, `/avatars/${inUrl}/96.webp`, `/users/${inUrl}.keys`]) {
      const res = await visitor.get(path);
      if (res.type === 'text/html') expect(inspectHtml(res.text, path).problems).toEqual([]);
      else expect({ path, type: res.type, nosniff: res.headers['x-content-type-options'] }).toEqual({ path, type: expect.stringMatching(/^(text\/plain|application\/json)$/), nosniff: 'nosniff' });
    }
    const anonymous = new Visitor(t.app);
    for (const [page, fields] of [['/login', { identifier: POLYGLOT, password: 'wrong' }], ['/forgot-password', { email: POLYGLOT }], ['/signup', { first_name: POLYGLOT_100, last_name: POLYGLOT_60, email: hostileEmail, username: 'x', password: 'x', password_confirm: 'y' }]] as const) {
      const res = await submitForm(anonymous, page, fields);
      expect({ page, status: res.status }).toEqual({ page, status: 422 });
      expect(inspectHtml(res.text, page).problems).toEqual([]);
    }
  });
});
