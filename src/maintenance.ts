import type { Deps } from './deps';
import type { Services } from './composition-root';

const SWEEP_INTERVAL_MS = 10 * 60_000;
const RETENTION_INTERVAL_MS = 60 * 60_000;
/** The first retention run waits until start-up (and its migrations) is well past. */
const FIRST_RETENTION_MS = 60_000;

/** Background work inside each web process (mail delivery, sweeps, reminders, retention, the directory's sync); returns a function that stops it. */
export function startMaintenance(deps: Deps, services: Services): () => void {
  deps.mail.worker.start();
  const sweep = setInterval(() => {
    deps.sessions.sweepExpired().catch((err: unknown) => deps.logger.warn({ err }, 'session sweep failed'));
    services.apiTokens.remindExpiring().catch((err: unknown) => deps.logger.warn({ err }, 'token expiry reminders failed'));
  }, SWEEP_INTERVAL_MS);
  sweep.unref();
  const retain = () => {
    services.dataRetention.purge().then(
      (deleted) => deleted && Object.values(deleted).some((n) => n > 0) && deps.logger.info({ deleted }, 'old data deleted'),
      (err: unknown) => deps.logger.warn({ err }, 'data retention failed'),
    );
  };
  const firstRetention = setTimeout(retain, FIRST_RETENTION_MS);
  firstRetention.unref();
  const retention = setInterval(retain, RETENTION_INTERVAL_MS);
  retention.unref();
  // Every LDAP_SYNC_MINUTES; of several processes, the one that takes the sync's lock does it.
  const syncMs = deps.config.directory?.syncMs;
  const directorySync =
    syncMs &&
    setInterval(() => {
      services.directorySync.run().then(
        (summary) => summary && deps.logger.info({ summary }, 'directory synchronised'),
        (err: unknown) => deps.logger.warn({ err: (err as { reason?: unknown }).reason ?? err }, 'directory sync failed'),
      );
    }, syncMs);
  if (directorySync) directorySync.unref();
  return () => {
    clearInterval(sweep);
    clearTimeout(firstRetention);
    clearInterval(retention);
    if (directorySync) clearInterval(directorySync);
    void deps.mail.worker.stop();
  };
}
