import type { Deps } from './deps';
import type { Services } from './services';

const SWEEP_INTERVAL_MS = 10 * 60_000;

/** Background work inside each web process (mail delivery, sweeps, reminders); returns a function that stops it. */
export function startMaintenance(deps: Deps, services: Services): () => void {
  deps.mail.worker.start();
  const sweep = setInterval(() => {
    deps.sessions.sweepExpired().catch((err: unknown) => deps.logger.warn({ err }, 'session sweep failed'));
    services.apiTokens.remindExpiring().catch((err: unknown) => deps.logger.warn({ err }, 'token expiry reminders failed'));
  }, SWEEP_INTERVAL_MS);
  sweep.unref();
  return () => {
    clearInterval(sweep);
    void deps.mail.worker.stop();
  };
}
