import type { Express, RequestHandler } from 'express';
import type { Operation } from '../../src/core/operations';

export type RouteMethod = 'get' | 'post' | 'put' | 'patch' | 'delete';

export interface RouteEntry {
  method: RouteMethod;
  /** In Express form, as registered: `/profile/tokens/:id/revoke`. */
  path: string;
  /** `POST /profile/tokens/:id/revoke` */
  label: string;
  /** The route's own handlers, in order (the application-wide middleware is not included). */
  handlers: RequestHandler[];
}

/** The parts of Express's router layers (router 2.x) a walk needs. */
interface Layer {
  rawPath?: unknown;
  handle: RequestHandler & { stack?: Layer[] };
  route?: { path: string; methods: Record<string, boolean>; stack: Layer[] };
}

export const API_PREFIX = '/api/v1/';

/**
 * Every route of the live application, found by walking its router and the routers
 * mounted in it, in the order Express tries them. Security walks iterate over this list,
 * so a route added later is covered without anyone remembering to list it. A route
 * registered in two routers (an upload's parser before the CSRF check, its page after)
 * is one entry with the handlers of both, in the order they run.
 */
export function routeList(app: Express): RouteEntry[] {
  const routes = new Map<string, RouteEntry>();
  const walk = (stack: Layer[], prefix: string) => {
    for (const layer of stack) {
      if (layer.route) {
        for (const method of Object.keys(layer.route.methods) as RouteMethod[]) {
          const path = prefix + layer.route.path;
          const label = `${method.toUpperCase()} ${path}`;
          const handlers = layer.route.stack.map((l) => l.handle);
          const seen = routes.get(label);
          if (seen) seen.handlers.push(...handlers);
          else routes.set(label, { method, path, label, handlers });
        }
      } else if (layer.handle.stack) {
        walk(layer.handle.stack, prefix + (typeof layer.rawPath === 'string' && layer.rawPath !== '/' ? layer.rawPath : ''));
      }
    }
  };
  walk((app.router as unknown as { stack: Layer[] }).stack, '');
  return [...routes.values()];
}

export const isApiRoute = (route: RouteEntry) => route.path.startsWith(API_PREFIX);
export const changesState = (route: RouteEntry) => route.method !== 'get';

/** The operation a route performs: the entry of the operations table one of its handlers guards. */
export function operationOf(route: RouteEntry): Operation | undefined {
  return route.handlers.map((h) => (h as RequestHandler & { operation?: Operation }).operation).find(Boolean);
}

/** One route as the walks that need only its method and path see it: `{ method: 'POST', path }`. */
export interface LiveRoute {
  method: string;
  path: string;
}

/** Every route of the application (see routeList), as upper-case method and Express path. */
export function liveRoutes(app: Express): LiveRoute[] {
  return routeList(app).map(({ method, path }) => ({ method: method.toUpperCase(), path }));
}

export const UNKNOWN_UUID = '00000000-0000-4000-8000-000000000000';
export const UNKNOWN_HANDLE = 'f'.repeat(64);
export const UNKNOWN_CLIENT_ID = '0'.repeat(32);

/** Well-formed values that name nothing, so that a walk reaches the handler rather than a 404 for the shape. */
const SAMPLE_PARAMS: Record<string, string> = {
  /** A link token: 43 base64url characters, like the ones mailed. */
  token: 'A'.repeat(43),
  id: UNKNOWN_UUID,
  hash: '0'.repeat(64),
  size: '256',
  file: 'swagger-ui.css',
  username: 'nobody',
  /** An identity provider's id: the authorization matrix configures one by this id; elsewhere the routes answer 404. */
  provider: 'corp',
  /** An application's client id, as apps:create makes them. */
  client: UNKNOWN_CLIENT_ID,
  client_id: UNKNOWN_CLIENT_ID,
  /** An OpenID Provider sign-in step, as the library names them (21 characters). */
  uid: 'abcdefghijklmnopqrstu',
};

/**
 * A concrete URL for a route: parameters in `values` first, then the samples (a session
 * handle for ids under /sessions/). A parameter without a sample is an error, so a new
 * kind of parameter gets one.
 */
export function concretePath(route: string | Pick<RouteEntry, 'path'>, values: Record<string, string> = {}): string {
  const path = typeof route === 'string' ? route : route.path;
  return path.replace(/:(\w+)/g, (_match, name: string) => {
    if (values[name] !== undefined) return encodeURIComponent(values[name]);
    if (name === 'id' && path.includes('/sessions/')) return UNKNOWN_HANDLE;
    const sample = SAMPLE_PARAMS[name];
    if (sample === undefined) throw new Error(`No sample value for the route parameter :${name} in ${path}`);
    return sample;
  });
}
