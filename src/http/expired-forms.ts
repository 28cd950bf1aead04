import { Router, type Express, type Request, type RequestHandler, type Response } from 'express';
import { expiredFormAnswer } from './form';

interface RouterLayer {
  route?: { path: unknown; methods: Record<string, boolean>; stack: Array<{ handle: RequestHandler }> };
  handle?: { stack?: RouterLayer[] };
  slash?: boolean;
  rawPath?: unknown;
}

/** Answers a form post whose CSRF token had expired; false when the route has no form to show again. */
export type ExpiredForms = (req: Request, res: Response) => Promise<boolean>;

/**
 * A router holding, for every POST route that ends in a form handler, the route's own gates
 * (sign-in required, signed-out only) and the form shown again. Operation guards are left
 * out: nothing is performed, so there is nothing to re-authenticate for.
 */
function expiredFormRoutes(stack: RouterLayer[], prefix: string, router: Router): Router {
  for (const layer of stack) {
    const route = layer.route;
    if (route?.methods.post && typeof route.path === 'string') {
      const handlers = route.stack.map((l) => l.handle);
      const answer = handlers.length > 0 ? expiredFormAnswer(handlers[handlers.length - 1] as RequestHandler) : undefined;
      const gates = handlers.slice(0, -1).filter((handler) => !('operation' in handler));
      if (answer) router.post(prefix + route.path, ...gates, answer);
    } else if (layer.handle?.stack) {
      expiredFormRoutes(layer.handle.stack, prefix + (typeof layer.rawPath === 'string' && !layer.slash ? layer.rawPath : ''), router);
    }
  }
  return router;
}

/**
 * A form sent with a stale or missing token is not a dead end: the error handler asks this
 * for the same form again, with what was typed (no secrets), a new token and a message,
 * still with 403. Read from the app's routes on first use (all are mounted by then).
 */
export function expiredFormsOf(app: Express): ExpiredForms {
  let router: Router | undefined;
  return (req, res) => {
    router ??= expiredFormRoutes((app as unknown as { router: { stack: RouterLayer[] } }).router.stack, '', Router());
    const dispatch = router;
    return new Promise((resolve, reject) => {
      // A gate may answer instead (a redirect to sign in): that, too, is an answer.
      res.once('finish', () => resolve(true));
      res.once('close', () => resolve(true));
      dispatch(req, res, (err?: unknown) => (err && err !== 'route' && err !== 'router' ? reject(err) : resolve(false)));
    });
  };
}
