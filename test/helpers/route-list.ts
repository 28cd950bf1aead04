import type { Express, RequestHandler } from 'express';
import type { Operation } from '../../src/http/middleware/require-recent-auth';

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

export const UNKNOWN_UUID = '00000000-0000-4000-8000-000000000000';
export const UNKNOWN_HANDLE = 'f'.repeat(64);

/**
 * A concrete URL for a route: parameters in `values` first, then a well-formed value that
 * names nothing (a UUID for ids, a session handle under sessions, 64 hex digits for
 * emailed-link tokens).
 */
export function concretePath(route: Pick<RouteEntry, 'path'>, values: Record<string, string> = {}): string {
  return route.path.replace(/:(\w+)/g, (_match, name: string) => {
    if (values[name] !== undefined) return encodeURIComponent(values[name]);
    if (name === 'id') return route.path.includes('/sessions/') ? UNKNOWN_HANDLE : UNKNOWN_UUID;
    if (name === 'token') return 'a'.repeat(64);
    return name;
  });
}
