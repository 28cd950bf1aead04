import type { RequestHandler, Router } from 'express';
import type { ApiEndpoint } from './api/api-endpoint';

/** The headings the profile's tabs are grouped under, in the order they are shown. */
export const PROFILE_TAB_GROUPS = ['profile', 'security', 'access', 'data'] as const;
export type ProfileTabGroup = (typeof PROFILE_TAB_GROUPS)[number];

/** One tab of the profile page, contributed by the feature that owns it. */
export interface ProfileTab {
  id: string;
  /** Its URL, from the URL table. */
  path: string;
  labelKey: string;
  group: ProfileTabGroup;
  /** A symbol of the icon sprite (views/partials/icons.ejs), without its `i-` prefix. */
  icon: string;
  /** Where it sits in its group: lower first. */
  order: number;
  /** Its forms ask for a recent sign-in, so the tab says how long the last one still counts. */
  stepUp?: boolean;
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
  /**
   * A protocol answered by a library of its own (the OpenID Provider): the paths it owns
   * skip the body parsers and the CSRF check, and `handler` answers them before `routes`.
   */
  protocol?: { owns(path: string): boolean; handler: RequestHandler };
  api?: ApiEndpoint[];
  tabs?: ProfileTab[];
  /**
   * Work to begin when the web app is built, in the background (the OpenID Provider makes or
   * loads its signing keys), so that no request pays for it. Operator commands never start it.
   */
  start?(): Promise<unknown>;
}
