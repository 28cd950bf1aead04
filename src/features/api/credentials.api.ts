import type { Clock } from '../../infra/clock';
import { ValidationError } from '../../http/errors';
import type { ApiTokensService, NewTokenInput } from '../credentials/api-tokens.service';
import type { SshKeysService } from '../credentials/ssh-keys.service';
import type { ReauthService } from '../sessions/reauth.service';
import type { SessionsService } from '../sessions/sessions.service';
import { OPERATIONS } from '../sessions/operations';
import { bodyOf, callOf, type ApiEndpoint } from './api-endpoint';
import { addSshKeyRequest, createTokenRequest, createdTokenResponse, sessionResponse, sshKeyResponse, tokenResponse } from './api.schemas';
import { sessionView, sshKeyView, tokenView } from './api-views';
import { proveIdentity } from './step-up';

export interface CredentialsApiDeps {
  sessions: SessionsService;
  apiTokens: ApiTokensService;
  sshKeys: SshKeysService;
  reauth: ReauthService;
  clock: Clock;
}

/** The token form's choices, from the API's fields: a number of days or a date. */
function tokenInput(body: ReturnType<typeof createTokenRequest.parse>): NewTokenInput {
  if (body.expires_in_days === undefined && body.expires_on === undefined) throw ValidationError.field('expires_in_days', 'tokens.errors.expiry');
  return {
    name: body.name,
    scope: body.scope,
    expires: body.expires_on !== undefined ? 'custom' : (String(body.expires_in_days) as NewTokenInput['expires']),
    expiresOn: body.expires_on,
    allowedIps: body.allowed_ips?.join('\n'),
  };
}

/** /users/me/sessions, /users/me/tokens and /users/me/ssh-keys. */
export function credentialsApi(deps: CredentialsApiDeps): ApiEndpoint[] {
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
        res.json((await deps.sessions.list(callOf(req, res).user.id, req.sessionID)).map(sessionView));
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
        await deps.sessions.revoke(user, String(req.params.id), req.sessionID, ctx);
        res.status(204).end();
      },
    },
    {
      method: 'get',
      path: '/users/me/tokens',
      operationId: 'listTokens',
      operation: OPERATIONS.listTokens,
      summary: 'Your personal access tokens (never their secrets)',
      tag: 'Tokens',
      responses: { 200: { description: 'Newest first', schema: tokenResponse, list: true } },
      /** GET /api/v1/users/me/tokens */
      handler: async (req, res) => {
        const now = deps.clock.now();
        res.json((await deps.apiTokens.list(callOf(req, res).user)).map((t) => tokenView(t, deps.apiTokens.masked(t), now)));
      },
    },
    {
      method: 'post',
      path: '/users/me/tokens',
      operationId: 'createToken',
      operation: OPERATIONS.createToken,
      summary: 'Create a personal access token',
      tag: 'Tokens',
      stepUp: true,
      body: createTokenRequest,
      responses: { 201: { description: 'Created; `token` is the secret and is shown this once', schema: createdTokenResponse } },
      /** POST /api/v1/users/me/tokens */
      handler: async (req, res) => {
        const { user, ctx } = callOf(req, res);
        const body = bodyOf(createTokenRequest, req);
        const input = tokenInput(body);
        await proveIdentity(deps.reauth, user, body, ctx);
        const { token, secret } = await deps.apiTokens.create(user, input, ctx);
        res.status(201).json({ ...tokenView(token, deps.apiTokens.masked(token), deps.clock.now()), token: secret });
      },
    },
    {
      method: 'delete',
      path: '/users/me/tokens/{id}',
      operationId: 'revokeToken',
      operation: OPERATIONS.revokeToken,
      summary: 'Revoke a token',
      tag: 'Tokens',
      responses: { 204: { description: 'Revoked; it stops working at once' }, 404: { description: 'No such token' } },
      /** DELETE /api/v1/users/me/tokens/{id} */
      handler: async (req, res) => {
        const { user, ctx } = callOf(req, res);
        await deps.apiTokens.revoke(user, String(req.params.id), ctx);
        res.status(204).end();
      },
    },
    {
      method: 'get',
      path: '/users/me/ssh-keys',
      operationId: 'listSshKeys',
      operation: OPERATIONS.listSshKeys,
      summary: 'Your SSH public keys',
      tag: 'SSH keys',
      responses: { 200: { description: 'Oldest first', schema: sshKeyResponse, list: true } },
      /** GET /api/v1/users/me/ssh-keys */
      handler: async (req, res) => {
        res.json((await deps.sshKeys.list(callOf(req, res).user)).map(sshKeyView));
      },
    },
    {
      method: 'post',
      path: '/users/me/ssh-keys',
      operationId: 'addSshKey',
      operation: OPERATIONS.addSshKey,
      summary: 'Add an SSH public key',
      tag: 'SSH keys',
      body: addSshKeyRequest,
      responses: { 201: { description: 'Added', schema: sshKeyResponse } },
      /** POST /api/v1/users/me/ssh-keys */
      handler: async (req, res) => {
        const { user, ctx } = callOf(req, res);
        res.status(201).json(sshKeyView(await deps.sshKeys.add(user, bodyOf(addSshKeyRequest, req), ctx)));
      },
    },
    {
      method: 'delete',
      path: '/users/me/ssh-keys/{id}',
      operationId: 'deleteSshKey',
      operation: OPERATIONS.deleteSshKey,
      summary: 'Delete an SSH public key',
      tag: 'SSH keys',
      responses: { 204: { description: 'Deleted' }, 404: { description: 'No such key' } },
      /** DELETE /api/v1/users/me/ssh-keys/{id} */
      handler: async (req, res) => {
        const { user, ctx } = callOf(req, res);
        await deps.sshKeys.remove(user, String(req.params.id), ctx);
        res.status(204).end();
      },
    },
  ];
}
