import type { Deps } from './deps';

const SWEEP_INTERVAL_MS = 10 * 60_000;

/** Background work inside each web process (mail delivery, sweeps); returns a function that stops it. */
export function startMaintenance(deps: Deps): () => void {
  deps.mail.worker.start();
  const sweep = setInterval(() => {
    deps.sessions.sweepExpired().catch((err: unknown) => deps.logger.warn({ err }, 'session sweep failed'));
  }, SWEEP_INTERVAL_MS);
  sweep.unref();
  return () => {
    clearInterval(sweep);
    void deps.mail.worker.stop();
  };
}
