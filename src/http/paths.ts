/**
 * Where to send someone after signing in: only a path on this site. Anything that a
 * browser could read as another origin (//evil, /\evil, a scheme, control characters)
 * falls back to the default, so `next` can never become an open redirect.
 */
export function safeNext(next: unknown, fallback = '/'): string {
  if (typeof next !== 'string' || next.length === 0 || next.length > 2048) return fallback;
  if (!next.startsWith('/') || next.startsWith('//') || next.startsWith('/\\')) return fallback;
  if (/[\u0000-\u001f\u007f\\]/.test(next)) return fallback;
  let parsed: URL;
  try {
    parsed = new URL(next, 'http://local.invalid');
  } catch {
    return fallback;
  }
  if (parsed.origin !== 'http://local.invalid') return fallback;
  return parsed.pathname + parsed.search + parsed.hash;
}

/** A login URL that brings the person back to `path` afterwards. */
export function loginUrlFor(path: string): string {
  const next = safeNext(path, '');
  return next && next !== '/' ? `/login?next=${encodeURIComponent(next)}` : '/login';
}
