import cookieParser from 'cookie-parser';
import type { CookieOptions, RequestHandler } from 'express';
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

const parseCookies = cookieParser();

/**
 * Reads the Cookie header into req.cookies. cookie-parser turns a value written `j:…` into
 * the JSON it holds; no cookie of ours is written that way, and everything that reads them
 * (express-session among them) expects text, so such a cookie counts as not sent.
 */
export const readCookies: RequestHandler = (req, res, next) => {
  parseCookies(req, res, (err?: unknown) => {
    const cookies = req.cookies as Record<string, unknown>;
    for (const [name, value] of Object.entries(cookies)) if (typeof value !== 'string') delete cookies[name];
    next(err);
  });
};
