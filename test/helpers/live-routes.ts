import type { Express } from 'express';

interface RouterLayer {
  route?: { path: unknown; methods: Record<string, boolean> };
  handle?: { stack?: RouterLayer[] };
  slash?: boolean;
  rawPath?: unknown;
}

export interface LiveRoute {
  method: string;
  /** The absolute Express path, parameters as `:name`. */
  path: string;
}

function walk(stack: RouterLayer[], prefix: string): LiveRoute[] {
  return stack.flatMap((layer) => {
    if (layer.route) {
      if (typeof layer.route.path !== 'string') throw new Error(`A route with a non-string path: ${String(layer.route.path)}`);
      const path = prefix + layer.route.path;
      return Object.entries(layer.route.methods)
        .filter(([method, on]) => on && method !== '_all')
        .map(([method]) => ({ method: method.toUpperCase(), path }));
    }
    if (layer.handle?.stack) {
      // A nested router: mounted at the root (app.use(router)) or below a string path.
      const mount = layer.slash || layer.rawPath === undefined ? '' : String(layer.rawPath);
      return walk(layer.handle.stack, prefix + mount);
    }
    return [];
  });
}

/** Every route the live Express router answers, read from the router itself (not from a list). */
export function liveRoutes(app: Express): LiveRoute[] {
  return walk((app as unknown as { router: { stack: RouterLayer[] } }).router.stack, '');
}
