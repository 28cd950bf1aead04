import type { Clock } from '../../infra/clock';
import type { DeletedIdentitiesRepository } from '../../core/account-state/deleted-identities.repository';
import type { SecurityEventsRepository } from '../../core/security/security-events.repository';
import type { KnownDevicesRepository } from '../../core/security/known-devices.repository';
import type { AdvisoryLocksRepository } from '../../infra/advisory-locks.repository';
import type { OneTimeTokensRepository } from '../../core/one-time-links/one-time-tokens.repository';
import type { OutboxRepository } from '../../infra/mailer/outbox.repository';
import type { Repos } from '../../core/repos';
import type { AdminAuditRepository } from '../admin/admin-audit.repository';
import type { OidcPayloadsRepository } from '../provider/oidc-payloads.repository';

/** The tables this module reads and writes. */
type Tables = { adminAudit: AdminAuditRepository; deletedIdentities: DeletedIdentitiesRepository; events: SecurityEventsRepository; knownDevices: KnownDevicesRepository; locks: AdvisoryLocksRepository; oneTimeTokens: OneTimeTokensRepository; outbox: OutboxRepository; oidcPayloads: OidcPayloadsRepository };

const DAY = 86_400_000;

/** Periods that follow from other rules rather than from an operator's choice. */
export const RETENTION = {
  /** Sent mail (recipient, template, times; its data is gone once sent) stays a day, to answer "was it sent?". */
  sentMailMs: DAY,
  /**
   * Used and expired link tokens (digests, and for an email change the new address) stay
   * a week, so a link opened again soon after still finds its token and its page can say
   * so; after that it is simply unknown.
   */
  spentTokenMs: 7 * DAY,
  /** The device cookie lives 400 days, renewed at each sign-in: a device unseen longer cannot come back as known. */
  knownDeviceMs: 400 * DAY,
};

/** Rows per delete, so that no statement runs long; batches per run, so that no run does. */
const BATCH = 1000;
const BATCHES_PER_RUN = 50;

/** Only one process at a time runs retention. */
export const RETENTION_LOCK = 'data-retention';

export type RetentionReport = Record<'sentMail' | 'failedMail' | 'spentTokens' | 'activity' | 'adminAudit' | 'knownDevices' | 'deletedIdentities' | 'providerRecords', number>;

/** Deletes batches until one comes back short (or the run's share is used up); returns how many went. */
async function drain(deleteBatch: (limit: number) => Promise<number>): Promise<number> {
  let total = 0;
  for (let batch = 0; batch < BATCHES_PER_RUN; batch++) {
    const deleted = await deleteBatch(BATCH);
    total += deleted;
    if (deleted < BATCH) break;
  }
  return total;
}

/**
 * What is kept, and for how long: the activity log for ACTIVITY_RETENTION_DAYS, the
 * administrators' audit log for AUDIT_RETENTION_DAYS (the only deletes its table allows), mail that
 * was given up for FAILED_MAIL_RETENTION_DAYS, deleted accounts' reserved names until
 * their DELETED_RESERVE_DAYS end, the OpenID Provider's records until they expire, and the periods in RETENTION. Each web process runs it
 * now and then; an advisory lock lets one at a time do the work.
 */
export function createDataRetention(deps: { repos: Repos<Tables>; clock: Clock; activityDays: number; failedMailDays: number; auditDays: number }) {
  return {
    /** Deletes what has outlived its period; undefined when another process is already at it. */
    async purge(): Promise<RetentionReport | undefined> {
      const now = deps.clock.now();
      const before = (ms: number) => new Date(now.getTime() - ms);
      return deps.repos.transaction(async (tx) => {
        if (!(await tx.locks.tryLock(RETENTION_LOCK))) return undefined;
        return {
          sentMail: await drain((limit) => tx.outbox.deleteSentBefore(before(RETENTION.sentMailMs), limit)),
          failedMail: await drain((limit) => tx.outbox.deleteFailedBefore(before(deps.failedMailDays * DAY), limit)),
          spentTokens: await drain((limit) => tx.oneTimeTokens.deleteSpentBefore(before(RETENTION.spentTokenMs), limit)),
          activity: await drain((limit) => tx.events.deleteOlderThan(before(deps.activityDays * DAY), limit)),
          adminAudit: await drain((limit) => tx.adminAudit.deleteOlderThan(before(deps.auditDays * DAY), limit)),
          knownDevices: await drain((limit) => tx.knownDevices.deleteNotSeenSince(before(RETENTION.knownDeviceMs), limit)),
          deletedIdentities: await drain((limit) => tx.deletedIdentities.deleteEnded(now, limit)),
          // The OpenID Provider's expired codes, tokens, sessions and grants (never returned once expired).
          providerRecords: await drain((limit) => tx.oidcPayloads.deleteExpired(now, limit)),
        };
      });
    },
  };
}

export type DataRetention = ReturnType<typeof createDataRetention>;
