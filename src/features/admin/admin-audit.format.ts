import { z } from 'zod';
import type { Translator } from '../../infra/i18n';
import { clientSummary, deviceLabel, parseUserAgent } from '../../infra/user-agent';
import { timestamp } from '../../http/api/api-schemas';
import { URLS } from '../../http/urls';
import type { AuditEntry } from './admin-audit.repository';
import { AUDIT_ACTIONS } from './admin-audit.schemas';

const KNOWN_ACTIONS: ReadonlySet<string> = new Set(AUDIT_ACTIONS);
const DETAIL_MAX = 120;

/** An action in words; a kind this version has no words for is shown by its name. */
export const actionLabel = (action: string, t: Translator) => (KNOWN_ACTIONS.has(action) ? t(`admin.audit.actions.${action}`) : action);

/** The gist of what an action changed, on one short line: `role: admin, previous: user`. */
export function detailOf(data: Record<string, unknown>): string {
  const line = Object.entries(data)
    .map(([key, value]) => `${key}: ${typeof value === 'string' ? value : JSON.stringify(value)}`)
    .join(', ');
  return line.length > DETAIL_MAX ? `${line.slice(0, DETAIL_MAX - 1)}…` : line;
}

/** "Firefox 133 · macOS 14.5", the phone when it is one, or the program's name ("curl/8.5.0"). */
export function whereFrom(userAgent: string | null): string {
  if (!userAgent) return '';
  const label = deviceLabel(parseUserAgent(userAgent));
  return label.browser ? [label.browser, label.os, label.device].filter(Boolean).join(' · ') : clientSummary(userAgent);
}

/** An entry as the console's list shows it (every string is escaped by the view). */
export function listedEntry(entry: AuditEntry, t: Translator) {
  const operator = entry.actorId === null;
  return {
    id: entry.id,
    createdAt: entry.createdAt,
    who: operator ? t('admin.audit.operator') : entry.actorUsername,
    operator,
    what: actionLabel(entry.action, t),
    detail: detailOf(entry.data),
    whom: entry.targetUsername,
    // The person's page in the console, while they still have an account.
    whomHref: entry.targetUsername && entry.targetExists ? `${URLS.adminUsers}/${encodeURIComponent(entry.targetUsername)}` : null,
    ip: entry.ip ?? '',
    client: whereFrom(entry.userAgent),
  };
}

export const auditEntryResponse = z.object({
  id: z.string(),
  created_at: timestamp,
  actor: z.object({ id: z.string().nullable(), username: z.string(), operator: z.boolean().describe('An operator at the command line (no account)') }),
  action: z.string(),
  target: z.object({ id: z.string().nullable(), username: z.string(), exists: z.boolean().describe('The account still exists') }).nullable(),
  ip: z.string().nullable(),
  user_agent: z.string().nullable(),
  data: z.record(z.string(), z.unknown()),
});

/** An entry for programs: the API and the JSON export. */
export function entryView(entry: AuditEntry): z.infer<typeof auditEntryResponse> {
  return {
    id: entry.id,
    created_at: entry.createdAt.toISOString(),
    actor: { id: entry.actorId, username: entry.actorUsername, operator: entry.actorId === null },
    action: entry.action,
    target: entry.targetUsername === null ? null : { id: entry.targetId, username: entry.targetUsername, exists: entry.targetExists },
    ip: entry.ip,
    user_agent: entry.userAgent,
    data: entry.data,
  };
}

export const CSV_COLUMNS = ['id', 'created_at', 'actor_id', 'actor_username', 'action', 'target_id', 'target_username', 'ip', 'user_agent', 'data'];

/**
 * One CSV field (RFC 4180): quoted when it holds a quote, comma or line break. A field a
 * spreadsheet would take for a formula (= + - @, a tab or CR first) gets a leading
 * apostrophe, so opening an export never runs what someone typed into a name.
 */
export function csvField(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** One entry as a CSV record, CRLF-terminated. */
export function csvRecord(entry: AuditEntry): string {
  const fields = [entry.id, entry.createdAt.toISOString(), entry.actorId ?? '', entry.actorUsername, entry.action, entry.targetId ?? '', entry.targetUsername ?? '', entry.ip ?? '', entry.userAgent ?? '', JSON.stringify(entry.data)];
  return `${fields.map(csvField).join(',')}\r\n`;
}

export const csvHeader = () => `${CSV_COLUMNS.join(',')}\r\n`;
