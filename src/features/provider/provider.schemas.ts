import { z } from 'zod';

const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]']);

// The name starts lines of apps:create and apps:list: a line break in it could forge a `client_id=` line.
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;
const UNREADABLE = /\uFFFD|\p{Cs}/u;

/** A native app's own scheme (com.example.app:/callback), not a web address. */
export function usesPrivateScheme(uri: string): boolean {
  return URL.canParse(uri) && !['http:', 'https:'].includes(new URL(uri).protocol);
}

const httpsOnLoopback = (uri: string) => URL.canParse(uri) && new URL(uri).protocol === 'https:' && LOOPBACK.has(new URL(uri).hostname);

/**
 * Where an application may receive its codes: https, http only on this machine's loopback
 * (a native app or a developer's laptop), or a native app's own scheme (reverse domain,
 * RFC 8252). Never a fragment, never user information. Compared exactly at each request,
 * except the port of a native app's loopback address (RFC 8252 7.3, done by the library).
 */
export function isAllowedRedirectUri(value: string, publicClient: boolean): boolean {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return false;
  }
  // A bare `#` leaves url.hash empty: it is still a fragment. A control character or one
  // that was not UTF-8 (U+FFFD, a lone surrogate from a JSON body) is no address anyone
  // meant, and the database refuses some (a NUL) outright.
  if (CONTROL.test(value) || UNREADABLE.test(value) || value.includes('#') || url.username || url.password || value.length > 2000) return false;
  if (url.protocol === 'https:') return url.hostname !== '';
  if (url.protocol === 'http:') return LOOPBACK.has(url.hostname);
  // A private-use scheme is a native app's (com.example.app:/callback): only for public clients.
  return publicClient && /^[a-z][a-z0-9+.-]*\.[a-z0-9+.-]+:$/.test(url.protocol);
}

/** apps:create: the name people see on the consent page and where codes may go. */
export const newApplicationSchema = z
  .object({
    name: z
      .string({ error: 'provider.apps.errors.nameRequired' })
      .trim()
      .min(1, { error: 'provider.apps.errors.nameRequired' })
      .max(80, { error: 'provider.apps.errors.nameTooLong' })
      .refine((name) => !CONTROL.test(name), { error: 'validation.controlCharacters' }),
    redirect_uris: z.array(z.string(), { error: 'provider.apps.errors.redirectRequired' }).min(1, { error: 'provider.apps.errors.redirectRequired' }).max(20, { error: 'provider.apps.errors.tooManyRedirects' }),
    post_logout_redirect_uris: z.array(z.string()).max(20, { error: 'provider.apps.errors.tooManyRedirects' }).default([]),
    public: z.boolean().default(false),
  })
  .superRefine((input, ctx) => {
    for (const field of ['redirect_uris', 'post_logout_redirect_uris'] as const) {
      if (input[field].some((uri) => !isAllowedRedirectUri(uri, input.public))) ctx.addIssue({ code: 'custom', path: [field], message: 'provider.apps.errors.redirectInvalid' });
    }
    // The library takes an application with its own scheme as a native app, and refuses https on loopback for one.
    const uris = [...input.redirect_uris, ...input.post_logout_redirect_uris];
    if (uris.some(usesPrivateScheme) && uris.some(httpsOnLoopback)) ctx.addIssue({ code: 'custom', path: ['redirect_uris'], message: 'provider.apps.errors.nativeHttpsLoopback' });
  });

export type NewApplicationInput = z.infer<typeof newApplicationSchema>;
