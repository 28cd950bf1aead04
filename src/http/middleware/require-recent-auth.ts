import type { Request, RequestHandler } from 'express';
import type { Clock } from '../../infra/clock';
import { ForbiddenError } from '../../infra/errors';
import type { Operation } from '../../core/operations';


/** A handler guarding one operation; `operation` lets route walks find every door of it. */
export type OperationGuard = RequestHandler & { readonly operation: Operation };

export function isElevated(req: Request, clock: Clock): boolean {
  return (req.session?.elevatedUntil ?? 0) > clock.now().getTime();
}

const reauthRequired = () => new ForbiddenError('reauth.required', 'reauth_required');

/**
 * The page door of an operation. When the table says it needs a recent sign-in, one within
 * REAUTH_MINUTES is required: otherwise the person confirms their identity at /reauth and
 * comes back to `returnTo`, where the form they sent is shown again, filled in (except
 * secrets), ready to submit. A script asking for JSON gets 403 `reauth_required`.
 */
export function guardOperation(operation: Operation, options: { clock: Clock; returnTo: string; keep?: readonly string[] }): OperationGuard {
  const guard: RequestHandler = (req, res, next) => {
    if (!operation.recentAuth || isElevated(req, options.clock)) return next();
    if (req.accepts(['html', 'json']) === 'json') return next(reauthRequired());
    if (req.method !== 'GET' && options.keep?.length) {
      const body = (req.body ?? {}) as Record<string, unknown>;
      const fields = Object.fromEntries(options.keep.filter((k) => typeof body[k] === 'string').map((k) => [k, String(body[k]).slice(0, 1000)]));
      req.session.pendingForm = { action: req.path, fields };
    }
    res.redirect(303, `/reauth?next=${encodeURIComponent(options.returnTo)}`);
  };
  return Object.assign(guard, { operation });
}

/**
 * The API door of an operation. A caller borrowing the browser session is held to the same
 * recent sign-in as the page (403 `reauth_required` until they re-authenticate). Tokens and
 * app passwords have no sign-in to be recent; the sensitive endpoints ask them for
 * `current_password` instead (features/api/step-up.ts).
 */
export function guardApiOperation(operation: Operation, clock: Clock): OperationGuard {
  const guard: RequestHandler = (req, _res, next) => {
    const stale = operation.recentAuth && req.apiPrincipal?.via === 'session' && !isElevated(req, clock);
    next(stale ? reauthRequired() : undefined);
  };
  return Object.assign(guard, { operation });
}

/** The values of a form under `pathPrefix` that was held back for re-authentication, once. */
export function takePendingForm(req: Request, pathPrefix: string): Record<string, string> {
  const pending = req.session?.pendingForm;
  if (!pending || !pending.action.startsWith(pathPrefix)) return {};
  delete req.session.pendingForm;
  return pending.fields;
}
