import type { Request } from 'express';
import { z } from 'zod';
import { OPERATIONS, type Operation } from '../../core/operations';
import { callOf, type ApiEndpoint } from '../../http/api/api-endpoint';
import { iso, stepUpFields, timestamp } from '../../http/api/api-schemas';
import { sessionResponse, sessionView } from '../sessions/sessions.api';
import type { AdminPersonActions, CredentialKind } from './admin-person-actions.service';
import { actorContext } from './admin-actor';
import type { ActorContext } from './actor-context';
import type { AdminPersonService, PersonView } from './admin-person.service';
import { usernameParam } from './admin-access';

const stepUpRequest = z.object(stepUpFields);
const when = timestamp.nullable();
const scope = z.enum(['read', 'write', 'admin']);

const personResponse = z.object({
  username: z.string(),
  first_name: z.string(),
  last_name: z.string(),
  email: z.string(),
  email_verified_at: when,
  recovery_email: z.string().nullable(),
  recovery_email_verified: z.boolean(),
  role: z.enum(['user', 'admin']),
  source: z.enum(['local', 'ldap', 'oidc']),
  locked_at: when,
  has_password: z.boolean(),
  password_reset_required: z.boolean(),
  created_at: timestamp,
  two_step: z.object({
    enabled: z.boolean(),
    authenticator_app: z.boolean(),
    authenticator_app_since: when,
    recovery_codes_left: z.number().int().nullable(),
    passkeys: z.array(z.object({ id: z.string(), name: z.string(), created_at: timestamp, last_used_at: when })),
  }),
  sessions: z.array(sessionResponse),
  tokens: z.array(z.object({ id: z.string(), name: z.string(), scope, masked: z.string(), created_at: timestamp, last_used_at: when, last_used_ip: z.string().nullable(), expires_at: timestamp })),
  app_passwords: z.array(z.object({ id: z.string(), name: z.string(), scope, created_at: timestamp, last_used_at: when, last_used_ip: z.string().nullable() })),
  ssh_keys: z.array(z.object({ id: z.string(), title: z.string(), key_type: z.string(), bits: z.number().int(), fingerprint: z.string(), created_at: timestamp })),
  identities: z.array(z.object({ id: z.string(), provider: z.string(), provider_name: z.string(), email: z.string().nullable(), name: z.string().nullable(), created_at: timestamp, last_used_at: when })),
  activity: z.array(z.object({ id: z.string(), type: z.string(), ip: z.string().nullable(), created_at: timestamp, data: z.record(z.string(), z.string()) })),
});

/** The person page's view as JSON: metadata only, never a secret, hash or seed. */
function personJson(view: PersonView): z.infer<typeof personResponse> {
  const { person: p, twoStep, credentials: c } = view;
  return {
    username: p.username,
    first_name: p.firstName,
    last_name: p.lastName,
    email: p.email,
    email_verified_at: iso(p.emailVerifiedAt),
    recovery_email: p.recoveryEmail,
    recovery_email_verified: Boolean(p.recoveryEmail && p.recoveryEmailVerifiedAt),
    role: p.role,
    source: p.source,
    locked_at: iso(p.lockedAt),
    has_password: p.hasPassword,
    password_reset_required: p.passwordResetRequired,
    created_at: p.createdAt.toISOString(),
    two_step: {
      enabled: twoStep.enabled,
      authenticator_app: twoStep.authenticatorApp !== null,
      authenticator_app_since: iso(twoStep.authenticatorApp?.since ?? null),
      recovery_codes_left: twoStep.recoveryCodesLeft,
      passkeys: twoStep.passkeys.map((k) => ({ id: k.id, name: k.name, created_at: k.createdAt.toISOString(), last_used_at: iso(k.lastUsedAt) })),
    },
    sessions: view.sessions.map(sessionView),
    tokens: c.tokens.map((t) => ({ id: t.id, name: t.name, scope: t.scope, masked: t.masked, created_at: t.createdAt.toISOString(), last_used_at: iso(t.lastUsedAt), last_used_ip: t.lastUsedIp, expires_at: t.expiresAt.toISOString() })),
    app_passwords: c.appPasswords.map((a) => ({ id: a.id, name: a.name, scope: a.scope, created_at: a.createdAt.toISOString(), last_used_at: iso(a.lastUsedAt), last_used_ip: a.lastUsedIp })),
    ssh_keys: c.sshKeys.map((k) => ({ id: k.id, title: k.title, key_type: k.keyType, bits: k.bits, fingerprint: k.fingerprint, created_at: k.createdAt.toISOString() })),
    identities: view.identities.map((i) => ({ id: i.id, provider: i.provider, provider_name: i.providerName, email: i.email, name: i.displayName, created_at: i.createdAt.toISOString(), last_used_at: iso(i.lastUsedAt) })),
    activity: view.activity.map((e) => ({ id: e.id, type: e.type, ip: e.ip, created_at: e.createdAt.toISOString(), data: e.data })),
  };
}

/** One step-up action on a person: 204 when done (or when there was nothing to do). */
function action(spec: { method: 'post' | 'delete'; path: string; operationId: string; operation: Operation; summary: string; run: (act: ActorContext, username: string, req: Request) => Promise<unknown> }): ApiEndpoint {
  return {
    method: spec.method,
    path: `/admin/users/{username}${spec.path}`,
    operationId: spec.operationId,
    operation: spec.operation,
    summary: spec.summary,
    tag: 'Administration',
    stepUp: true,
    body: stepUpRequest,
    responses: { 204: { description: 'Done' }, 404: { description: 'No such account, or no such thing of theirs' }, 409: { description: 'Not on your own account, or nothing to do' } },
    handler: async (req, res) => {
      await spec.run(actorContext(req, res), usernameParam(req), req);
      res.status(204).end();
    },
  };
}

const revoke = (actions: AdminPersonActions, kind: CredentialKind, path: string, operationId: string, summary: string) =>
  action({ method: 'delete', path: `${path}/{id}`, operationId, operation: OPERATIONS.adminRevokeCredential, summary, run: (act, username, req) => actions.revokeCredential(act, username, kind, String(req.params.id)) });

/** /admin/users/{username}: the person page and its actions, calling the same service functions. */
export function adminPersonApi(deps: { person: AdminPersonService; actions: AdminPersonActions }): ApiEndpoint[] {
  const { actions } = deps;
  return [
    {
      method: 'get',
      path: '/admin/users/{username}',
      operationId: 'adminGetUser',
      operation: OPERATIONS.adminViewUser,
      summary: 'One account as an administrator sees it (metadata only)',
      tag: 'Administration',
      responses: { 200: { description: 'The account, its second factors, sessions, credentials and recent activity', schema: personResponse }, 404: { description: 'No such account' } },
      /** GET /api/v1/admin/users/{username} */
      handler: async (req, res) => {
        const { ctx } = callOf(req, res);
        res.json(personJson(await deps.person.view(usernameParam(req), ctx.sessionId)));
      },
    },
    action({ method: 'post', path: '/lock', operationId: 'adminLockUser', operation: OPERATIONS.adminLockUser, summary: 'Lock an account: sessions end, tokens and app passwords stop working', run: (c, u) => actions.setLocked(c, u, true) }),
    action({ method: 'post', path: '/unlock', operationId: 'adminUnlockUser', operation: OPERATIONS.adminUnlockUser, summary: 'Unlock an account', run: (c, u) => actions.setLocked(c, u, false) }),
    action({ method: 'post', path: '/reset-two-step', operationId: 'adminResetTwoStep', operation: OPERATIONS.adminResetTwoStep, summary: 'Remove the authenticator app, recovery codes and passkeys (a lost device)', run: (c, u) => actions.resetTwoStep(c, u) }),
    action({ method: 'post', path: '/password-reset', operationId: 'adminSendPasswordReset', operation: OPERATIONS.adminSendPasswordReset, summary: 'Mail the person a password reset link', run: (c, u) => actions.sendPasswordReset(c, u) }),
    action({ method: 'post', path: '/resend-verification', operationId: 'adminResendVerification', operation: OPERATIONS.adminResendVerification, summary: 'Mail the verification link again', run: (c, u) => actions.resendVerification(c, u) }),
    action({ method: 'post', path: '/mark-verified', operationId: 'adminMarkEmailVerified', operation: OPERATIONS.adminMarkEmailVerified, summary: 'Mark the email address verified', run: (c, u) => actions.markVerified(c, u) }),
    action({ method: 'delete', path: '/sessions', operationId: 'adminEndSessions', operation: OPERATIONS.adminEndSessions, summary: 'Sign the person out everywhere', run: (c, u) => actions.endSessions(c, u) }),
    action({ method: 'delete', path: '/sessions/{id}', operationId: 'adminEndSession', operation: OPERATIONS.adminEndSession, summary: 'Sign out one of their devices', run: (c, u, req) => actions.endSession(c, u, String(req.params.id)) }),
    revoke(actions, 'token', '/tokens', 'adminRevokeToken', 'Revoke one of their personal access tokens'),
    revoke(actions, 'app_password', '/app-passwords', 'adminRevokeAppPassword', 'Revoke one of their app passwords'),
    revoke(actions, 'ssh_key', '/keys', 'adminDeleteSshKey', 'Delete one of their SSH keys'),
  ];
}
