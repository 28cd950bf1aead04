import type { Clock } from '../../infra/clock';
import type { DirectoryClient } from '../../infra/ldap/directory-client';
import type { SessionRegistry } from '../../infra/session-store/session-registry';
import type { Repos } from '../../core/repos';
import type { EventContext, SecurityNotices } from '../../core/security/security-notices';
import type { User } from '../../core/users/user';
import { DirectoryAccountError, type DirectoryAccounts, type DirectoryTables } from './directory-accounts.service';

/**
 * The OpenID Provider's grants and tokens of one account (provider feature), named by the
 * one method used here so that this lower layer does not import that feature.
 */
export type DirectorySyncTables = DirectoryTables & { oidcPayloads: { revokeAccount(userId: string): Promise<unknown> } };

/** Held for the length of a sync, in its transaction: one process at a time. */
const SYNC_LOCK = 'atrium:directory-sync';
const PAGE = 200;

/** The sync's own context: no address, no browser; notices in English unless the person chose otherwise. */
const SYNC_CONTEXT: EventContext = { ip: '', userAgent: '', locale: 'en' };

export interface DirectorySyncSummary {
  /** Directory accounts looked up. */
  checked: number;
  /** Names, address, picture or role changed. */
  updated: number;
  /** Locked now: the entry vanished or is disabled. */
  locked: number;
  unchanged: number;
  /** Entries that cannot be used (no address, a username this service cannot have): left as they were. */
  skipped: number;
}

/**
 * Brings every directory account in line with its entry: details and role refreshed,
 * accounts whose entry vanished or is disabled locked (their sessions end, their tokens and
 * app passwords stop working, their applications' grants go). Everything happens in one
 * transaction under an advisory lock, so a directory that stops answering half-way changes
 * nothing (it is not taken as everyone having left), and a second process skips the run.
 */
export function createDirectorySync({ repos, clock, notices, sessions, client, accounts }: { repos: Repos<DirectorySyncTables>; clock: Clock; notices: SecurityNotices; sessions: SessionRegistry; client?: DirectoryClient; accounts: DirectoryAccounts }) {
  async function lockIn(tx: DirectorySyncTables, user: User): Promise<boolean> {
    if (!(await tx.users.setLocked(user.id, true, clock.now()))) return false;
    await tx.oidcPayloads.revokeAccount(user.id);
    await notices.record(tx, user, 'directory_locked', SYNC_CONTEXT);
    return true;
  }

  /** One account against its entry; counts what happened, and notes whose sessions must end. */
  async function syncOne(tx: DirectorySyncTables, id: string, counts: DirectorySyncSummary, endSessions: string[]): Promise<void> {
    const user = await tx.users.findById(id);
    if (!user || !client) return;
    counts.checked += 1;
    const person = await client.lookup(user.username);
    if (!person || person.disabled) {
      const locked = user.lockedAt === null && (await lockIn(tx, user));
      if (locked) endSessions.push(user.id);
      counts[locked ? 'locked' : 'unchanged'] += 1;
      return;
    }
    const details = await accounts.detailsOf(person).catch((err: unknown) => {
      if (err instanceof DirectoryAccountError) return undefined;
      throw err;
    });
    if (!details) {
      counts.skipped += 1;
      return;
    }
    const { changed, roleChanged } = await accounts.refreshIn(tx, user, details, SYNC_CONTEXT);
    if (roleChanged) endSessions.push(user.id);
    counts[changed ? 'updated' : 'unchanged'] += 1;
  }

  return {
    /** One run; undefined when no directory is configured or another process is running one. */
    async run(): Promise<DirectorySyncSummary | undefined> {
      if (!client) return undefined;
      const endSessions: string[] = [];
      const summary = await repos.transaction(async (tx) => {
        if (!(await tx.locks.tryLock(SYNC_LOCK))) return undefined;
        const counts: DirectorySyncSummary = { checked: 0, updated: 0, locked: 0, unchanged: 0, skipped: 0 };
        for (let after: string | null = null; ; ) {
          const ids = await tx.users.listIds(after, PAGE, 'ldap');
          if (ids.length === 0) break;
          after = ids[ids.length - 1] ?? null;
          for (const id of ids) await syncOne(tx, id, counts, endSessions);
        }
        return counts;
      });
      for (const userId of endSessions) await sessions.destroyAllForUser(userId, undefined, 'administrator');
      return summary;
    },
  };
}

export type DirectorySync = ReturnType<typeof createDirectorySync>;
