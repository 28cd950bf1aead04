import type { CoreDeps } from '../../core/feature-deps';
import type { Feature } from '../../http/feature';
import { createDataRetention } from './data-retention.service';

type Deps = CoreDeps & { repos: Parameters<typeof createDataRetention>[0]['repos'] };

/** Forgetting on time: spent links, old activity, delivered mail and expired reservations (run by maintenance). */
export function createRetentionFeature(deps: Deps) {
  return { services: { dataRetention: createDataRetention({ repos: deps.repos, clock: deps.clock, ...deps.config.retention }) } } satisfies Feature;
}
