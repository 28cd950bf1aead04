import type { CookieOptions } from 'express';
import type { Config } from '../config';

/**
 * Every cookie the service sets. Over HTTPS they carry the __Host- prefix (Secure, no
 * Domain, Path=/), so no sibling subdomain can plant or read them.
 */
export type CookieKey = 'sid' | 'signed_in' | 'lang' | 'theme' | 'tz' | 'did';

export function cookieName(key: CookieKey, config: Pick<Config, 'secure'>): string {
  return config.secure ? `__Host-${key}` : key;
}

export function cookieOptions(config: Pick<Config, 'secure'>): CookieOptions {
  return { httpOnly: true, sameSite: 'lax', secure: config.secure, path: '/' };
}

export const PREFERENCE_COOKIE_MS = 365 * 24 * 3_600_000;
