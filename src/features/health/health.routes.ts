import { Router } from 'express';

export interface ReadinessCheck {
  name: string;
  check(): Promise<void>;
}

export function healthRoutes(checks: ReadinessCheck[]): Router {
  const router = Router();

  /** GET /healthz: the process is up and serving. */
  router.get('/healthz', (_req, res) => {
    res.set('Cache-Control', 'no-store').json({ status: 'ok' });
  });

  /** GET /readyz: every back-end (database, Redis) answers; 503 naming the ones that do not. */
  router.get('/readyz', async (_req, res) => {
    const results = await Promise.all(
      checks.map(async ({ name, check }) => {
        try {
          await Promise.race([check(), new Promise((_, reject) => setTimeout(() => reject(new Error('timeout')), 3000).unref())]);
          return [name, 'ok'] as const;
        } catch {
          return [name, 'unavailable'] as const;
        }
      }),
    );
    const ready = results.every(([, state]) => state === 'ok');
    res.status(ready ? 200 : 503).set('Cache-Control', 'no-store').json({ status: ready ? 'ready' : 'unavailable', checks: Object.fromEntries(results) });
  });
  return router;
}
