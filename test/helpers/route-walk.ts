import type { Express } from 'express';

/** One route the live Express router answers. */
export interface LiveRoute {
  method: string;
  /** The Express path, with its `:parameters`. */
  path: string;
}

interface RouterLayer {
  route?: { path: unknown; methods: Record<string, boolean> };
  handle?: { stack?: RouterLayer[] };
  slash?: boolean;
  rawPath?: unknown;
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
      const mount = layer.slash || layer.rawPath === undefined ? '' : String(layer.rawPath);
      return walk(layer.handle.stack, prefix + mount);
    }
    return [];
  });
}

/** Every route of the application, read from its live router, so a new route is walked too. */
export function liveRoutes(app: Express): LiveRoute[] {
  return walk((app as unknown as { router: { stack: RouterLayer[] } }).router.stack, '');
}

/** Values that fit each kind of route parameter, so that a walk reaches the handler. */
const SAMPLE_PARAMS: Record<string, string> = {
  token: 'A'.repeat(43),
  id: '00000000-0000-4000-8000-000000000000',
  hash: '0'.repeat(64),
  size: '256',
  file: 'swagger-ui.css',
  username: 'nobody',
};

/** The route's path with every `:parameter` filled in (`params` first, then the samples). */
export function concretePath(path: string, params: Record<string, string> = {}): string {
  return path.replace(/:(\w+)/g, (_match, name: string) => {
    const value = params[name] ?? SAMPLE_PARAMS[name];
    if (value === undefined) throw new Error(`No sample value for the route parameter :${name} in ${path}`);
    return value;
  });
}
