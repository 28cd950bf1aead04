import type { Express, Request } from 'express';

const MAX_LENGTH = 2048;

/** A scheme at the start ("https:", "javascript:"): the candidate is a full URL, not a path. */
const SCHEME = /^[a-z][a-z0-9+.-]*:/i;

/**
 * What a browser would drop or read differently from us: C0 controls and spaces (stripped
 * at the ends, tabs and newlines dropped anywhere) and backslashes (read as slashes).
 * A candidate holding any of them is refused rather than cleaned up.
 */
const AMBIGUOUS = /[\u0000-\u0020\u007f\\]/;

/** `path` (a path, query and fragment) resolves, as a browser resolves it, to `base`'s origin. */
function staysOn(path: string, base: URL): boolean {
  try {
    return new URL(path, base).origin === base.origin;
  } catch {
    return false;
  }
}

/**
 * Also true of every decoding of `path`, so that nothing that decodes it once more (a
 * proxy, a script) can turn `/%2F%2Fevil.example` into `///evil.example`. A path still
 * encoded after three rounds is refused: no link of ours is built like that.
 */
function staysOnOnceDecoded(path: string, base: URL): boolean {
  let current = path;
  for (let round = 0; round < 3; round++) {
    let decoded: string;
    try {
      decoded = decodeURIComponent(current);
    } catch {
      return true;
    }
    if (decoded === current) return true;
    if (!staysOn(decoded, base)) return false;
    current = decoded;
  }
  return false;
}

/**
 * Where to send someone next (after signing in, re-authenticating, choosing a theme): only
 * a place on BASE_URL's origin. The candidate is resolved as a browser resolves it (WHATWG
 * URL parsing) against BASE_URL; a full URL must be on that origin. The answer is the path,
 * query and fragment of where it resolved to, and that answer is checked again on its own:
 * `/.//evil.example` resolves to the path `//evil.example`, which a browser would read as
 * another host, so it falls back. Anything else falls back too.
 */
export function safeNext(candidate: unknown, base: URL, fallback = '/'): string {
  if (typeof candidate !== 'string' || candidate.length === 0 || candidate.length > MAX_LENGTH) return fallback;
  if (AMBIGUOUS.test(candidate)) return fallback;
  const absolute = SCHEME.test(candidate);
  if (!absolute && !candidate.startsWith('/')) return fallback;
  let resolved: URL;
  try {
    resolved = absolute ? new URL(candidate) : new URL(candidate, base);
  } catch {
    return fallback;
  }
  if (resolved.origin !== base.origin) return fallback;
  const path = resolved.pathname + resolved.search + resolved.hash;
  const again = new URL(path, base);
  if (again.origin !== base.origin || again.pathname + again.search + again.hash !== path) return fallback;
  return staysOnOnceDecoded(path, base) ? path : fallback;
}

/**
 * A login URL that brings the person back to `requestUrl` (the URL they asked for)
 * afterwards; one that would lead off the site is left out.
 */
export function loginUrlFor(requestUrl: string, base: URL): string {
  const next = safeNext(requestUrl, base, '');
  return next && next !== '/' ? `/login?next=${encodeURIComponent(next)}` : '/login';
}

const BASE_URL_SETTING = 'base url';

/** Records BASE_URL in the app's settings, for middleware shared by every router (requireUser). */
export function rememberBaseUrl(app: Express, baseUrl: URL): void {
  app.set(BASE_URL_SETTING, baseUrl);
}

/** BASE_URL as createApp recorded it. */
export function baseUrlOf(req: Request): URL {
  const baseUrl: unknown = req.app.get(BASE_URL_SETTING);
  if (!(baseUrl instanceof URL)) throw new Error('BASE_URL is not recorded on the app: createApp does that');
  return baseUrl;
}
