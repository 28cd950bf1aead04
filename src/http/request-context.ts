import type { Request, Response } from 'express';
import type { Locale } from '../infra/i18n';
import type { User } from '../core/users/user';

declare module 'express-serve-static-core' {
  interface Request {
    /** The signed-in user, loaded once per request by the current-user middleware. */
    user?: User;
  }
}

/** What a service may know about the request: plain values, never req or res. */
export interface RequestContext {
  userId?: string;
  sessionId?: string;
  ip: string;
  userAgent: string;
  locale: Locale;
  /** Digest of the browser's device cookie, when it sent one. */
  device?: string;
}

/**
 * The client's address as Express determines it (X-Forwarded-For only with TRUST_PROXY),
 * with IPv4-mapped IPv6 written as plain IPv4. Rate limits, logs and sessions all use it.
 */
export function clientIp(req: Request): string {
  const ip = req.ip ?? req.socket.remoteAddress ?? '';
  return ip.startsWith('::ffff:') && ip.includes('.') ? ip.slice(7) : ip;
}

export function contextOf(req: Request, res: Response): RequestContext {
  return {
    userId: req.user?.id,
    sessionId: req.sessionID,
    ip: clientIp(req),
    userAgent: (req.get('user-agent') ?? '').slice(0, 512),
    locale: res.locals.locale as Locale,
    device: req.device,
  };
}
