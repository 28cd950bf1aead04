import type { Request, Response } from 'express';
import type { Clock } from '../../infra/clock';
import { ValidationError, type FieldErrors } from '../../infra/errors';
import type { Translator } from '../../infra/i18n';
import { page } from '../../http/pages';
import { renderPage } from '../../http/render';
import { parseInput } from '../../http/validate';
import { adminFrame } from './admin-frame';
import { csvHeader, csvRecord, entryView, listedEntry } from './admin-audit.format';
import { AUDIT_ACTIONS, auditCursorOf, auditFilterOf, auditQueryRules, auditQuerySchema, type AuditQuery } from './admin-audit.schemas';
import type { AdminAuditService } from './admin-audit.service';
import type { AuditEntry } from './admin-audit.repository';

/** The filters as the form shows them again (only strings it was sent, bounded). */
function echoedValues(query: Request['query']): Record<string, string> {
  const values: Record<string, string> = {};
  for (const name of ['administrator', 'person', 'kind', 'from', 'to']) {
    const value = query[name];
    if (typeof value === 'string') values[name] = value.slice(0, 100);
  }
  return values;
}

/** The query string of a filtered list, plus a cursor: what the pager's links carry. */
function linkQuery(query: AuditQuery, cursor: Record<string, string | undefined> = {}): string {
  const pairs = { administrator: query.administrator, person: query.person, kind: query.kind, from: query.from, to: query.to, ...cursor };
  const params = new URLSearchParams(Object.entries(pairs).filter((pair): pair is [string, string] => Boolean(pair[1])));
  const text = params.toString();
  return text ? `?${text}` : '';
}

/** The filters, valid, or every problem at once (the rules also judge a query the schema passed). */
function parseQuery(req: Request): AuditQuery {
  const query = parseInput(auditQuerySchema, req.query, auditQueryRules);
  ValidationError.throwIfAny(auditQueryRules(query));
  return query;
}

/** Writes one chunk, waiting while the client's buffer is full. */
async function send(res: Response, chunk: string): Promise<void> {
  if (!res.write(chunk)) await new Promise((resolve) => res.once('drain', resolve));
}

/** Streams every matching entry, a batch at a time, so an export of any size is whole. */
async function stream(res: Response, entries: AsyncIterable<AuditEntry>, format: { head: string; each: (entry: AuditEntry, index: number) => string; tail: string }) {
  await send(res, format.head);
  let index = 0;
  for await (const entry of entries) await send(res, format.each(entry, index++));
  res.end(format.tail);
}

const attachment = (res: Response, now: Date, extension: string) => res.set('Content-Disposition', `attachment; filename="audit-${now.toISOString().slice(0, 10)}.${extension}"`);

/** The console's audit log: who did what to whom, when and from where; filters, pages and exports. */
export function createAdminAuditPages(deps: { audit: AdminAuditService; clock: Clock }) {
  const render = async (req: Request, res: Response, locals: Record<string, unknown>, status = 200) => {
    const t = res.locals.t as Translator;
    await renderPage(
      res,
      'admin/audit',
      {
        ...adminFrame(req, res, deps.clock, 'audit'),
        actions: AUDIT_ACTIONS.map((action) => ({ value: action, label: t(`admin.audit.actions.${action}`) })).sort((a, b) => a.label.localeCompare(b.label, t.locale)),
        values: echoedValues(req.query),
        entries: [],
        filtered: false,
        errors: {},
        ...locals,
      },
      status,
    );
  };

  return {
    /** GET /admin/audit?administrator=&person=&kind=&from=&to=&before=|after= */
    show: page(async (req, res) => {
      let query: AuditQuery;
      try {
        query = parseQuery(req);
      } catch (err) {
        if (!(err instanceof ValidationError)) throw err;
        return render(req, res, { errors: err.fields satisfies FieldErrors }, 422);
      }
      const result = await deps.audit.page(auditFilterOf(query), auditCursorOf(query));
      const t = res.locals.t as Translator;
      await render(req, res, {
        entries: result.entries.map((entry) => listedEntry(entry, t)),
        filtered: Boolean(query.administrator || query.person || query.kind || query.from || query.to),
        newerHref: result.newer ? linkQuery(query, { after: result.newer }) : null,
        olderHref: result.older ? linkQuery(query, { before: result.older }) : null,
        exportQuery: linkQuery(query),
      });
    }),

    /** GET /admin/audit.csv: every entry the filters match, as a spreadsheet opens it. */
    csv: page(async (req, res) => {
      const query = parseQuery(req);
      attachment(res, deps.clock.now(), 'csv').type('text/csv; charset=utf-8');
      await stream(res, deps.audit.all(auditFilterOf(query)), { head: csvHeader(), each: csvRecord, tail: '' });
    }),

    /** GET /admin/audit.json: the same, as a JSON array of entries (as the API shows them). */
    json: page(async (req, res) => {
      const query = parseQuery(req);
      attachment(res, deps.clock.now(), 'json').type('application/json; charset=utf-8');
      await stream(res, deps.audit.all(auditFilterOf(query)), { head: '[', each: (entry, index) => (index ? ',\n' : '\n') + JSON.stringify(entryView(entry)), tail: '\n]\n' });
    }),
  };
}
