import type { Express } from 'express';
import { pathToRegexp } from 'path-to-regexp';

/**
 * Route parameters whose values are secrets: the token of an emailed link. A route that
 * declares one is, by that alone, cut out of logged URLs and sent with
 * `Referrer-Policy: no-referrer`; there is no list of paths to keep in step.
 */
export const SECRET_PARAMS: ReadonlySet<string> = new Set(['token']);

const REDACTED = '[redacted]';

export interface SecretRoutes {
  /** The URL as it may be logged: no query string, and every secret parameter cut out. */
  redact(url: string): string;
  /** Whether the path is (or lies below) a route with a secret parameter. */
  holdsSecret(path: string): boolean;
}

interface RouterLayer {
  route?: { path: unknown };
  handle?: { stack?: RouterLayer[] };
  slash?: boolean;
  rawPath?: unknown;
}

/** The absolute path pattern of every route, nested routers included. */
function routePatterns(stack: RouterLayer[], prefix: string): string[] {
  return stack.flatMap((layer) => {
    if (layer.route) return pathsOf(layer.route.path).map((path) => prefix + path);
    if (!layer.handle?.stack) return [];
    const mounts = layer.slash || layer.rawPath === undefined ? [''] : pathsOf(layer.rawPath);
    return mounts.flatMap((mount) => routePatterns(layer.handle?.stack ?? [], prefix + mount));
  });
}

function pathsOf(path: unknown): string[] {
  const paths = Array.isArray(path) ? path.flat(Infinity) : [path];
  // A regular expression hides its parameters' names, so nobody could tell whether they are secret.
  if (!paths.every((p): p is string => typeof p === 'string')) throw new Error(`Route paths must be strings, not ${String(path)}`);
  return paths;
}

/**
 * A matcher per route with a secret parameter. It matches the route's path and anything
 * below it (a longer URL that reaches no route still carries the token), case-insensitively
 * as Express routes; the `d` flag gives each parameter's position, so only it is cut.
 */
function secretMatchers(app: Express): Array<{ regexp: RegExp; secret: boolean[] }> {
  const stack = (app as unknown as { router: { stack: RouterLayer[] } }).router.stack;
  return routePatterns(stack, '').flatMap((pattern) => {
    const { regexp, keys } = pathToRegexp(pattern, { end: false, sensitive: false });
    const secret = keys.map((key) => SECRET_PARAMS.has(String(key.name)));
    return secret.includes(true) ? [{ regexp: new RegExp(regexp.source, `${regexp.flags}d`), secret }] : [];
  });
}

/**
 * The routes of `app` that carry secrets, read from its router on first use (every route
 * is mounted by then: createApp mounts them all before the app serves a request).
 */
export function secretRoutesOf(app: Express): SecretRoutes {
  let matchers: ReturnType<typeof secretMatchers> | undefined;
  const find = (path: string) => {
    matchers ??= secretMatchers(app);
    for (const matcher of matchers) {
      const match = matcher.regexp.exec(path);
      if (match) return { secret: matcher.secret, spans: match.indices ?? [] };
    }
    return undefined;
  };

  return {
    redact(url) {
      const path = url.split('?', 1)[0] ?? '';
      const found = find(path);
      if (!found) return path;
      let redacted = path;
      // From the right, so that the positions of earlier parameters stay valid.
      for (let group = found.secret.length; group >= 1; group--) {
        const span = found.spans[group];
        if (found.secret[group - 1] && span) redacted = redacted.slice(0, span[0]) + REDACTED + redacted.slice(span[1]);
      }
      return redacted;
    },
    holdsSecret: (path) => find(path) !== undefined,
  };
}
