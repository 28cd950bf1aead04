import type { Feature } from '../../http/feature';
import { healthRoutes, type ReadinessCheck } from './health.routes';

/** Liveness and readiness for load balancers and orchestrators. */
export function createHealthFeature(deps: { readiness: ReadinessCheck[]; clockOffsetMs: () => Promise<number> }) {
  return { services: {}, publicRoutes: healthRoutes(deps.readiness, deps.clockOffsetMs) } satisfies Feature;
}
