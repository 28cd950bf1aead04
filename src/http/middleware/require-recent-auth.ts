import type { Request, RequestHandler } from 'express';
import type { Clock } from '../../infra/clock';
import { ForbiddenError } from '../errors';

export function isElevated(req: Request, clock: Clock): boolean {
  return (req.session?.elevatedUntil ?? 0) > clock.now().getTime();
}

/**
 * Sensitive changes need a sign-in or re-authentication within REAUTH_MINUTES. Otherwise
 * the person confirms their identity at /reauth and comes back to `returnTo`, where the
 * form they sent is shown again, filled in (except secrets), ready to submit.
 */
export function requireRecentAuth(options: { clock: Clock; returnTo: string; keep?: readonly string[] }): RequestHandler {
  return (req, res, next) => {
    if (isElevated(req, options.clock)) return next();
    if (req.accepts(['html', 'json']) === 'json') return next(new ForbiddenError('reauth.required', 'reauth_required'));
    if (req.method !== 'GET' && options.keep?.length) {
      const body = (req.body ?? {}) as Record<string, unknown>;
      const fields = Object.fromEntries(options.keep.filter((k) => typeof body[k] === 'string').map((k) => [k, String(body[k]).slice(0, 1000)]));
      req.session.pendingForm = { action: req.path, fields };
    }
    res.redirect(303, `/reauth?next=${encodeURIComponent(options.returnTo)}`);
  };
}

/** The values of a form under `pathPrefix` that was held back for re-authentication, once. */
export function takePendingForm(req: Request, pathPrefix: string): Record<string, string> {
  const pending = req.session?.pendingForm;
  if (!pending || !pending.action.startsWith(pathPrefix)) return {};
  delete req.session.pendingForm;
  return pending.fields;
}
