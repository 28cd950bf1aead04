import fs from 'node:fs';
import path from 'node:path';
import { EVENT_GROUPS, type SecurityEventType } from '../../../src/core/security/security-notices';
import type { TestApp } from '../../helpers/app';
import { csrfTokenIn, type Visitor } from '../../helpers/browser-agent';

/**
 * What the Activity tab stories share: reading the event log, driving the pages that
 * write to it, and reading the tab back as a person sees it.
 */

export const ORIGIN = 'http://localhost:3000';
export const NEW_PASSWORD = 'copper lantern orchard 64';
export const LOOPBACK = /^(127\.0\.0\.1|::1|::ffff:127\.0\.0\.1)$/;
export const ALL_TYPES: string[] = EVENT_GROUPS.flatMap((g) => [...g.types]);

/**
 * The kinds of event each activity-*.test.ts file records, keyed by the file's name.
 * Each file checks after its tests that it saw exactly these; activity-tab.test.ts
 * checks that together they are every kind the tab knows.
 */
export const COVERED = {
  'activity-sign-in-events': ['sign_in', 'sign_in_failed', 'session_revoked', 'sign_out'],
  'activity-account-events': ['recovery_email_changed', 'recovery_email_removed', 'email_change_requested', 'email_changed', 'email_change_undone', 'password_changed', 'password_reset'],
  'activity-two-step-events': ['mfa_enabled', 'sign_in', 'recovery_code_used', 'recovery_codes_regenerated', 'mfa_disabled', 'passkey_added', 'passkey_removed', 'mfa_reset'],
  'activity-api-events': ['token_created', 'token_used_from_new_ip', 'token_regenerated', 'token_revoked', 'token_refused_ip', 'app_password_created', 'app_password_revoked', 'ssh_key_added', 'ssh_key_removed'],
  'activity-protection-events': ['profile_locked', 'profile_unlocked', 'lockdown'],
  'activity-admin-events': ['sessions_ended_by_admin', 'credential_revoked_by_admin', 'password_reset_sent_by_admin', 'verification_sent_by_admin', 'email_verified_by_admin', 'role_granted', 'role_revoked'],
  'activity-identity-events': ['identity_connected', 'identity_disconnected'],
  'activity-app-events': ['app_allowed', 'app_revoked'],
  'activity-directory-events': ['directory_locked'],
} as const satisfies Record<string, readonly SecurityEventType[]>;

type Catalogue = { activity: { kinds: Record<string, string>; methods: Record<string, string>; older: string; newest: string } };
const catalogue = (locale: string) => JSON.parse(fs.readFileSync(path.join(__dirname, '../../../locales', `${locale}.json`), 'utf8')) as Catalogue;
export const EN = catalogue('en').activity;
export const DE = catalogue('de').activity;

/** As EJS escapes `<%= %>` output. */
export const escapeHtml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&#34;').replace(/'/g, '&#39;');
const unescapeHtml = (s: string) => s.replace(/&#34;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');

export interface EventRow {
  id: string;
  type: string;
  ip: string | null;
  user_agent: string | null;
  data: Record<string, string>;
  created_at: Date;
}

const toRow = (r: Record<string, unknown>): EventRow => ({
  id: String(r.id),
  type: r.type as string,
  ip: (r.ip as string | null) ?? null,
  user_agent: (r.user_agent as string | null) ?? null,
  data: (typeof r.data === 'string' ? JSON.parse(r.data) : r.data) as Record<string, string>,
  created_at: new Date(r.created_at as string),
});

export const pathOf = (link: string) => new URL(link).pathname;

/** The helpers that need the running app: the file's `describeApp()`, read at each use. */
export function activityHelpers(t: TestApp) {
  /** Every event of an account, newest first. */
  async function eventsOf(userId: string): Promise<EventRow[]> {
    return (await t.deps.db('security_events').where({ user_id: userId }).orderBy('id', 'desc')).map(toRow);
  }

  /** The highest event id so far: what a flow records comes after it. */
  async function mark(): Promise<number> {
    const row = await t.deps.db('security_events').max('id as id').first();
    return Number(row?.id ?? 0);
  }

  /** Opens an emailed link's page, then confirms it with the page's form, as a person does. */
  async function follow(visitor: Visitor, link: string) {
    const page = await visitor.get(pathOf(link));
    expect(page.status).toBe(200);
    const res = await visitor.post(pathOf(link), { _csrf: csrfTokenIn(page.text) });
    expect(res.status).toBeLessThan(400);
    return res;
  }

  async function mailTo(address: string, subject: string) {
    await t.deliverMail();
    const found = t.mail.to(address).filter((m) => m.subject === subject);
    const message = found[found.length - 1];
    if (!message) throw new Error(`No "${subject}" mail to ${address}; have: ${t.mail.to(address).map((m) => m.subject).join(' | ') || 'none'}`);
    return message;
  }

  /** Creates a token through the form; returns its secret as the page shows it once. */
  async function createToken(visitor: Visitor, fields: Record<string, string> = {}): Promise<string> {
    const res = await visitor.submit('/profile/tokens', { name: 'Backup script', scope: 'read', expires: '30', ...fields });
    expect(res.status).toBe(303);
    const page = await visitor.get('/profile/tokens');
    const secret = /<code id="new-secret">(pat_[0-9A-Za-z]+)<\/code>/.exec(page.text)?.[1];
    if (!secret) throw new Error('No new secret on the page');
    return secret;
  }

  return { eventsOf, mark, follow, mailTo, createToken };
}

interface Expected {
  /** The User-Agent of the request that caused it; null for operator actions, which have no request. */
  userAgent: string | null;
  data?: Record<string, string>;
}

/**
 * `expectRecorded` for one activity-*.test.ts file (pass its `__filename`): after the
 * file's tests, the kinds it saw recorded must be exactly that file's list in COVERED.
 */
export function eventRecorder(t: TestApp, testFile: string) {
  const name = path.basename(testFile, '.test.ts');
  const covered: readonly string[] | undefined = (COVERED as Record<string, readonly string[]>)[name];
  if (!covered) throw new Error(`COVERED in activity-test-helpers.ts has no list for ${name}`);
  /** The kinds each flow of this file was seen to record. */
  const exercised = new Set<string>();
  afterAll(() => {
    expect({ file: name, recorded: [...exercised].sort() }).toEqual({ file: name, recorded: [...covered].sort() });
  });

  /**
   * Exactly one event of `type` for this account since `since`, from the loopback address
   * supertest connects from (or from no address at all for an operator's action).
   */
  return async function expectRecorded(user: { id: string }, type: SecurityEventType, since: number, expected: Expected): Promise<EventRow> {
    const rows = (await t.deps.db('security_events').where({ user_id: user.id, type }).andWhere('id', '>', since).orderBy('id', 'asc')).map(toRow);
    expect(rows.map((r) => r.type)).toEqual([type]);
    const row = rows[0] as EventRow;
    if (expected.userAgent === null) {
      expect(row.ip ?? '').toBe('');
      expect(row.user_agent ?? '').toBe('');
    } else {
      expect(row.ip).toMatch(LOOPBACK);
      expect(row.user_agent).toBe(expected.userAgent);
    }
    if (expected.data) expect(row.data).toMatchObject(expected.data);
    // Stamped by the service's clock, at the time of the flow.
    expect(row.created_at.getTime()).toBeLessThanOrEqual(t.clock.now().getTime());
    expect(row.created_at.getTime()).toBeGreaterThan(t.clock.now().getTime() - 60_000);
    exercised.add(type);
    return row;
  };
}

interface Shown {
  label: string;
  detail: string;
  datetime: string;
  ip: string;
  client: string;
  alarming: boolean;
}

/** The entries of the Activity tab, top to bottom. */
export function entries(html: string): Shown[] {
  const list = /<ol class="activity-list">([\s\S]*?)<\/ol>/.exec(html)?.[1] ?? '';
  return list
    .split('<li class="activity')
    .slice(1)
    .map((item) => {
      const spans = [...item.replace(/<div class="activity__when[\s\S]*$/, '').matchAll(/<span class="break">([^<]*)<\/span>/g)].map((m) => m[1] as string);
      const when = /<div class="activity__when[^"]*">([\s\S]*?)<\/div>/.exec(item)?.[1] ?? '';
      const whenSpans = [...when.matchAll(/<span class="break">([^<]*)<\/span>/g)].map((m) => unescapeHtml(m[1] as string));
      return {
        label: unescapeHtml(/<strong>([^<]*)<\/strong>/.exec(item)?.[1] ?? ''),
        detail: unescapeHtml(spans[0] ?? ''),
        datetime: /<time datetime="([^"]+)"/.exec(item)?.[1] ?? '',
        ip: whenSpans[0] ?? '',
        client: whenSpans[1] ?? '',
        alarming: item.startsWith(' activity--alarming'),
      };
    });
}

/** The "Older" link of a page, unescaped, if it has one. */
export function olderLink(html: string): string | undefined {
  const href = /<a [^>]*rel="next" href="([^"]+)"/.exec(html)?.[1];
  return href === undefined ? undefined : unescapeHtml(href);
}

/** What the tab shows for a stored event: its label and its time. */
export const shownAs = (row: EventRow, labels = EN.kinds) => ({ label: labels[row.type], datetime: row.created_at.toISOString() });
