import crypto from 'node:crypto';
import type { Request, RequestHandler, Response } from 'express';
import type { Config } from '../config';
import { cookieName, cookieOptions } from './cookies';

declare module 'express-serve-static-core' {
  interface Request {
    /** Digest of this browser's device cookie, when it sent a well-formed one. */
    device?: string;
  }
}

/** Browsers keep a cookie at most 400 days; it is renewed whenever the device proves itself. */
const DEVICE_COOKIE_MS = 400 * 86_400_000;
const DEVICE_ID = /^[A-Za-z0-9_-]{43}$/;

const digestOf = (id: string) => crypto.createHash('sha256').update(id).digest('hex');

function sentId(req: Request, config: Config): string | undefined {
  const value = (req.cookies as Record<string, unknown> | undefined)?.[cookieName('did', config)];
  return typeof value === 'string' && DEVICE_ID.test(value) ? value : undefined;
}

/**
 * Reads this browser's long-lived random id (only its digest is ever used or stored): it
 * recognises a device an account has signed in from, whatever its address.
 */
export function readDevice(config: Config): RequestHandler {
  return (req, _res, next) => {
    const id = sentId(req, config);
    req.device = id && digestOf(id);
    next();
  };
}

/** The device id, set when missing and renewed otherwise, for a step that vouches for this browser (a sign-in, a password reset). */
export function ensureDevice(req: Request, res: Response, config: Config): string {
  const id = sentId(req, config) ?? crypto.randomBytes(32).toString('base64url');
  res.cookie(cookieName('did', config), id, { ...cookieOptions(config), maxAge: DEVICE_COOKIE_MS });
  req.device = digestOf(id);
  return req.device;
}
