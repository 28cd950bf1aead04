import type { Deps } from './deps';
import type { Services } from './composition-root';

const SWEEP_INTERVAL_MS = 10 * 60_000;
const RETENTION_INTERVAL_MS = 60 * 60_000;
/** The first retention run waits until start-up (and its migrations) is well past. */
const FIRST_RETENTION_MS = 60_000;

/** Background work inside each web process (mail delivery, sweeps, reminders, retention); returns a function that stops it. */
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
  return () => {
    clearInterval(sweep);
    clearTimeout(firstRetention);
    clearInterval(retention);
    void deps.mail.worker.stop();
  };
}
