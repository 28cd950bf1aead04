import { Router } from 'express';
import { URLS } from '../../http/urls';

export interface ReadinessCheck {
  name: string;
  check(): Promise<void>;
  /** Reported, but never makes the server unready (an LDAP directory: local accounts work without it). */
  optional?: boolean;
}

/** One authenticator-code step: a clock off by more refuses good codes (or takes stale ones). */
const CLOCK_TOLERANCE_MS = 30_000;
const TIMEOUT_MS = 3000;

function withTimeout<T>(work: Promise<T>): Promise<T> {
  return Promise.race([work, new Promise<never>((_, reject) => setTimeout(() => reject(new Error('timeout')), TIMEOUT_MS).unref())]);
}

/** `clockOffsetMs`: this server's clock against the shared reference (the database's). */
/** GET /healthz and /readyz, mounted before cookies and sessions (they need neither). */
export function healthRoutes(checks: ReadinessCheck[], clockOffsetMs?: () => Promise<number>): Router {
  const router = Router();

  /** GET /healthz: the process is up and serving. */
  router.get(URLS.healthz, (_req, res) => {
    res.set('Cache-Control', 'no-store').json({ status: 'ok' });
  });

  /** A `clock` entry only when this server's clock is off by more than a step; it does not make the server unready. */
  async function clockDetail(): Promise<{ clock?: { status: 'skewed'; offset_seconds: number } }> {
    if (!clockOffsetMs) return {};
    try {
      const offset = await withTimeout(clockOffsetMs());
      return Math.abs(offset) > CLOCK_TOLERANCE_MS ? { clock: { status: 'skewed', offset_seconds: Math.round(offset / 1000) } } : {};
    } catch {
      return {};
    }
  }

  /** GET /readyz: every back-end (database, Redis) answers; 503 naming the ones that do not; a skewed clock and an unreachable directory are reported. */
  router.get(URLS.readyz, async (_req, res) => {
    const [results, clock] = await Promise.all([
      Promise.all(
        checks.map(async ({ name, check, optional }) => {
          try {
            await withTimeout(check());
            return [name, 'ok', optional] as const;
          } catch {
            return [name, 'unavailable', optional] as const;
          }
        }),
      ),
      clockDetail(),
    ]);
    const ready = results.every(([, state, optional]) => state === 'ok' || optional);
    const states = Object.fromEntries(results.map(([name, state]) => [name, state]));
    res.status(ready ? 200 : 503).set('Cache-Control', 'no-store').json({ status: ready ? 'ready' : 'unavailable', checks: states, ...clock });
  });
  return router;
}
