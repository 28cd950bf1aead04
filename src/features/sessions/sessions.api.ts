import { z } from 'zod';
import { OPERATIONS } from '../../core/operations';
import { callOf, type ApiEndpoint } from '../../http/api/api-endpoint';
import { timestamp } from '../../http/api/api-schemas';
import type { SessionsService, SessionView } from './sessions.service';

export const sessionResponse = z.object({
  id: z.string(),
  current: z.boolean(),
  browser: z.string(),
  os: z.string(),
  device: z.string(),
  ip: z.string(),
  method: z.string(),
  provider: z.string().nullable().describe('The identity provider of a sign-in through one'),
  created_at: timestamp,
  last_seen_at: timestamp,
  expires_at: timestamp,
});

/** A session as the JSON API shows it. */
export function sessionView(session: SessionView): z.infer<typeof sessionResponse> {
  const d = session.device;
  return {
    id: session.id,
    current: session.current,
    browser: [d.browser, d.browserVersion].filter(Boolean).join(' '),
    os: [d.os, d.osVersion].filter(Boolean).join(' '),
    device: [d.deviceVendor, d.deviceModel].filter(Boolean).join(' '),
    ip: session.ip,
    method: session.method,
    provider: session.provider,
    created_at: session.createdAt.toISOString(),
    last_seen_at: session.lastSeenAt.toISOString(),
    expires_at: session.expiresAt.toISOString(),
  };
}

/** /users/me/sessions: the Sessions tab's two operations. */
export function sessionsApi(deps: { sessions: SessionsService }): ApiEndpoint[] {
  return [
    {
      method: 'get',
      path: '/users/me/sessions',
      operationId: 'listSessions',
      operation: OPERATIONS.listSessions,
      summary: 'The devices you are signed in on',
      tag: 'Sessions',
      responses: { 200: { description: 'Live sessions, the calling one first', schema: sessionResponse, list: true } },
      /** GET /api/v1/users/me/sessions */
      handler: async (req, res) => {
        const { user, ctx } = callOf(req, res);
        res.json((await deps.sessions.list(user.id, ctx.sessionId)).map(sessionView));
      },
    },
    {
      method: 'delete',
      path: '/users/me/sessions/{id}',
      operationId: 'revokeSession',
      operation: OPERATIONS.revokeSession,
      summary: 'Sign out one device',
      tag: 'Sessions',
      responses: { 204: { description: 'Signed out' }, 404: { description: 'No such session' }, 409: { description: 'That is the calling session (sign out instead)' } },
      /** DELETE /api/v1/users/me/sessions/{id} */
      handler: async (req, res) => {
        const { user, ctx } = callOf(req, res);
        await deps.sessions.revoke(user, String(req.params.id), ctx);
        res.status(204).end();
      },
    },
  ];
}
