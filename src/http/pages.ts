import type { Request, RequestHandler, Response } from 'express';
import type { User } from '../core/users/user';
import { UnauthorizedError } from '../infra/errors';
import { contextOf, type RequestContext } from './request-context';

/** Whatever a handler ends with (a promise, a response written): Express only needs it to finish. */
type Done = unknown;

/** A page any visitor may open: the handler, typed for Express, and awaited so its errors reach the error page. */
export function page(handler: (req: Request, res: Response) => Done): RequestHandler {
  return async (req, res) => {
    await handler(req, res);
  };
}

/** The signed-in person; the routes of these pages put requireUser in front. */
export function signedInUser(req: Request): User {
  if (!req.user) throw new UnauthorizedError();
  return req.user;
}

/** A page behind requireUser: the handler gets the signed-in person and the request's context. */
export function signedInPage(handler: (req: Request, res: Response, user: User, ctx: RequestContext) => Done): RequestHandler {
  return async (req, res) => {
    await handler(req, res, signedInUser(req), contextOf(req, res));
  };
}

/** The token of an emailed link, from the route's `:token` parameter. */
export function linkToken(req: Request): string {
  return String(req.params.token ?? '');
}

/** A page opened from an emailed link: the handler gets the link's token. */
export function linkPage(handler: (req: Request, res: Response, token: string) => Done): RequestHandler {
  return async (req, res) => {
    await handler(req, res, linkToken(req));
  };
}
