import type { RequestHandler } from 'express';
import type { Config } from '../../config';
import { endSession } from '../../http/session';

export function createSignOutPages(deps: { config: Config }) {
  return {
    /** POST /logout: destroy the session on the server, clear the cookie and the browser's copies. */
    submit: (async (req, res) => {
      await endSession(req, res, deps.config);
      res.set('Clear-Site-Data', '"cache", "storage"');
      res.redirect(303, '/login?signed_out=1');
    }) as RequestHandler,
  };
}
