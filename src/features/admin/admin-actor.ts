import type { Request, Response } from 'express';
import { signedInUser } from '../../http/pages';
import { contextOf } from '../../http/request-context';
import type { ActorContext } from './actor-context';

/** The administrator behind this request, as the audit log names them, and where they asked from. */
export function actorContext(req: Request, res: Response): ActorContext {
  const admin = signedInUser(req);
  return { ...contextOf(req, res), actor: { id: admin.id, username: admin.username } };
}
