import { z } from 'zod';
import { ValidationError } from '../../infra/errors';
import { OPERATIONS } from '../../core/operations';
import type { ApiEndpoint } from '../../http/api/api-endpoint';
import { parseInput } from '../../http/validate';
import { auditEntryResponse, entryView } from './admin-audit.format';
import { auditCursorOf, auditFilterOf, auditQueryRules, auditQuerySchema } from './admin-audit.schemas';
import { AUDIT_PAGE_SIZE, type AdminAuditService } from './admin-audit.service';

const MAX_LIMIT = 200;

/** The page's filters and cursors, and how many entries to return. */
const auditApiQuery = auditQuerySchema.extend({
  limit: z
    .string({ error: 'admin.audit.errors.limit' })
    .optional()
    .refine((v) => v === undefined || (/^\d{1,3}$/.test(v) && Number(v) >= 1 && Number(v) <= MAX_LIMIT), { message: 'admin.audit.errors.limit' })
    .transform((v) => (v === undefined ? AUDIT_PAGE_SIZE : Number(v)))
    .describe(`Entries per page, 1 to ${MAX_LIMIT} (default ${AUDIT_PAGE_SIZE})`),
});

const auditPageResponse = z.object({
  entries: z.array(auditEntryResponse).describe('Newest first'),
  older_cursor: z.string().nullable().describe('Pass as `before` for the next older page; null on the oldest page'),
  newer_cursor: z.string().nullable().describe('Pass as `after` for the next newer page; null on the newest page'),
});

/** /admin/audit: the console's audit log for programs (tokens with the admin scope). */
export function adminAuditApi(deps: { audit: AdminAuditService }): ApiEndpoint[] {
  return [
    {
      method: 'get',
      path: '/admin/audit',
      operationId: 'adminListAudit',
      operation: OPERATIONS.adminViewAudit,
      summary: 'The audit log of administrator actions, filtered and paged',
      tag: 'Administration',
      query: auditApiQuery,
      responses: { 200: { description: 'One page of entries, newest first, with the cursors of the pages beside it', schema: auditPageResponse } },
      /** GET /api/v1/admin/audit?administrator=&person=&kind=&from=&to=&before=|after=&limit= */
      handler: async (req, res) => {
        const query = parseInput(auditApiQuery, req.query, auditQueryRules);
        ValidationError.throwIfAny(auditQueryRules(query));
        const page = await deps.audit.page(auditFilterOf(query), auditCursorOf(query), query.limit);
        res.json({ entries: page.entries.map(entryView), older_cursor: page.older ?? null, newer_cursor: page.newer ?? null } satisfies z.infer<typeof auditPageResponse>);
      },
    },
  ];
}
