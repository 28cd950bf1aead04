import type { Request } from 'express';
import { z } from 'zod';
import type { Clock } from '../../infra/clock';
import type { FieldErrors } from '../../infra/errors';
import { OPERATIONS } from '../../core/operations';
import { bodyOf, callOf, checkedBodyOf, type ApiEndpoint } from '../../http/api/api-endpoint';
import { iso, stepUpFields, timestamp } from '../../http/api/api-schemas';
import { signedInUser } from '../../http/pages';
import { text } from '../../http/validate';
import type { ApiTokensService, NewTokenInput } from './api-tokens.service';
import { sshKeyFormSchema } from './credentials.schemas';
import type { ApiToken, SshKey } from './credentials.repository';
import type { SshKeysService } from './ssh-keys.service';

export const createTokenRequest = z.object({
  name: text({ requiredKey: 'tokens.errors.nameRequired', max: 60 }),
  scope: z.enum(['read', 'write', 'admin'], { error: 'tokens.errors.scope' }).describe('`admin` (the administration API as well) for administrators only'),
  expires_in_days: z.union([z.literal(7), z.literal(30), z.literal(90), z.literal(365)], { error: 'tokens.errors.expiry' }).optional(),
  expires_on: z.string({ error: 'tokens.errors.dateInvalid' }).max(10, 'tokens.errors.dateInvalid').optional(),
  allowed_ips: z.array(z.string({ error: 'tokens.errors.allowListType' }).max(64, 'validation.tooLong'), { error: 'tokens.errors.allowListType' }).max(50, 'validation.tooLong').optional(),
  ...stepUpFields,
});
const addSshKeyRequest = sshKeyFormSchema;

const tokenResponse = z.object({
  id: z.string(),
  name: z.string(),
  masked: z.string(),
  scope: z.enum(['read', 'write', 'admin']),
  allowed_ips: z.array(z.string()).nullable(),
  created_at: timestamp,
  expires_at: timestamp,
  expired: z.boolean(),
  last_used_at: timestamp.nullable(),
  last_used_ip: z.string().nullable(),
});
const createdTokenResponse = tokenResponse.extend({ token: z.string().describe('The secret, returned this once') });

const sshKeyResponse = z.object({
  id: z.string(),
  title: z.string(),
  type: z.string(),
  bits: z.number().int(),
  fingerprint: z.string(),
  comment: z.string(),
  public_key: z.string(),
  created_at: timestamp,
});

/** A token as the JSON API shows it: never its secret or digest. */
function tokenView(token: ApiToken, masked: string, now: Date): z.infer<typeof tokenResponse> {
  return {
    id: token.id,
    name: token.name,
    masked,
    scope: token.scope,
    allowed_ips: token.allowedIps,
    created_at: token.createdAt.toISOString(),
    expires_at: token.expiresAt.toISOString(),
    expired: token.expiresAt.getTime() <= now.getTime(),
    last_used_at: iso(token.lastUsedAt),
    last_used_ip: token.lastUsedIp,
  };
}

function sshKeyView(key: SshKey): z.infer<typeof sshKeyResponse> {
  return {
    id: key.id,
    title: key.title,
    type: key.keyType,
    bits: key.bits,
    fingerprint: key.fingerprint,
    comment: key.comment,
    public_key: key.publicKey,
    created_at: key.createdAt.toISOString(),
  };
}

type CreateTokenBody = z.infer<typeof createTokenRequest>;

/** The token form's choices, from the API's fields: a number of days or a date. */
function tokenInput(body: Partial<CreateTokenBody>): Partial<NewTokenInput> {
  const days = body.expires_in_days === undefined ? undefined : (String(body.expires_in_days) as NewTokenInput['expires']);
  return { name: body.name, scope: body.scope, expires: body.expires_on !== undefined ? 'custom' : days, expiresOn: body.expires_on, allowedIps: body.allowed_ips?.join('\n') };
}

/** Besides the service's rules, an expiry must be chosen: judged on what was sent, so a malformed one is not also called missing. */
function tokenRules(apiTokens: ApiTokensService, req: Request, valid: Partial<CreateTokenBody>): FieldErrors {
  const sent = req.body as unknown;
  const fields = (typeof sent === 'object' && sent !== null ? sent : {}) as Record<string, unknown>;
  const noExpiry = fields.expires_in_days === undefined && fields.expires_on === undefined;
  return { ...(noExpiry ? { expires_in_days: { key: 'tokens.errors.expiry' } } : {}), ...apiTokens.check(tokenInput(valid), signedInUser(req)) };
}

/** /users/me/tokens and /users/me/ssh-keys: the Tokens and SSH keys tabs' operations. */
export function credentialsApi(deps: { apiTokens: ApiTokensService; sshKeys: SshKeysService; clock: Clock }): ApiEndpoint[] {
  const createTokenRules = (valid: Partial<CreateTokenBody>, req: Request) => tokenRules(deps.apiTokens, req, valid);
  return [
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
      rules: createTokenRules,
      responses: { 201: { description: 'Created; `token` is the secret and is shown this once', schema: createdTokenResponse } },
      /** POST /api/v1/users/me/tokens */
      handler: async (req, res) => {
        const { user, ctx } = callOf(req, res);
        const body = checkedBodyOf({ rules: createTokenRules }, createTokenRequest, req);
        // The rules made sure an expiry was chosen.
        const { token, secret } = await deps.apiTokens.create(user, tokenInput(body) as NewTokenInput, ctx);
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
        res.status(201).json(sshKeyView(await deps.sshKeys.add(user, bodyOf(addSshKeyRequest, req, (valid) => deps.sshKeys.check(valid)), ctx)));
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
