import type { Repos } from '../../core/repos';
import type { AdminAuditRepository, AuditCursor, AuditEntry, AuditFilter } from './admin-audit.repository';

/** The tables this module reads and writes. */
type Tables = { adminAudit: AdminAuditRepository };

export const AUDIT_PAGE_SIZE = 50;
/** Rows fetched per query while exporting, so that an export of any size holds little at once. */
const EXPORT_BATCH = 500;

export interface AuditPage {
  entries: AuditEntry[];
  /** The cursor of the next older page (`before`), when there is one. */
  older?: string;
  /** The cursor of the next newer page (`after`), when there is one. */
  newer?: string;
}

/** The audit log as the console and the admin API read it: pages and whole exports, newest first. */
export function createAdminAuditService(deps: { repos: Repos<Tables> }) {
  const { adminAudit } = deps.repos;
  const exists = async (filter: AuditFilter, cursor: AuditCursor) => (await adminAudit.page(filter, cursor, 1)).length > 0;

  return {
    /** One page beside `cursor` (the first page without one), and the cursors of the pages on either side. */
    async page(filter: AuditFilter, cursor: AuditCursor = {}, size = AUDIT_PAGE_SIZE): Promise<AuditPage> {
      const rows = await adminAudit.page(filter, cursor, size + 1);
      const more = rows.length > size;
      // Fetched from the newer side, the extra row is the newest; from the older side, the oldest.
      const entries = cursor.after && more ? rows.slice(1) : rows.slice(0, size);
      const first = entries[0]?.id;
      const last = entries[entries.length - 1]?.id;
      const older = cursor.after ? last !== undefined && (await exists(filter, { before: last })) : more;
      const newer = cursor.after ? more : first !== undefined && cursor.before !== undefined && (await exists(filter, { after: first }));
      return { entries, older: older ? last : undefined, newer: newer ? first : undefined };
    },

    /** Every matching entry, newest first, fetched a batch at a time as the caller consumes them. */
    async *all(filter: AuditFilter): AsyncGenerator<AuditEntry> {
      let before: string | undefined;
      for (;;) {
        const batch = await adminAudit.page(filter, { before }, EXPORT_BATCH);
        yield* batch;
        if (batch.length < EXPORT_BATCH) return;
        before = batch[batch.length - 1]?.id;
      }
    },
  };
}

export type AdminAuditService = ReturnType<typeof createAdminAuditService>;
