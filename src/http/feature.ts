import type { Router } from 'express';
import type { ApiEndpoint } from './api/api-endpoint';

/** One tab of the profile page, contributed by the feature that owns it. */
export interface ProfileTab {
  id: string;
  /** Its URL, from the URL table. */
  path: string;
  labelKey: string;
  /** Where it sits among the tabs: lower first. */
  order: number;
}

/**
 * What a feature's `index.ts` builds: its services (for other features, the operator
 * commands and tests), its routers, its API endpoints and its profile tabs. The
 * composition root (src/composition-root.ts) mounts them; nothing else needs to know the feature.
 */
export interface Feature {
  services: object;
  /** Mounted before cookies and sessions: answers that need neither (health, avatar files). */
  publicRoutes?: Router;
  /** Mounted before the CSRF check: the bounded multipart parsers of upload forms. */
  uploadRoutes?: Router;
  routes?: Router;
  api?: ApiEndpoint[];
  tabs?: ProfileTab[];
}
