import { z } from 'zod';
import { OPERATIONS } from '../../core/operations';
import { callOf, type ApiEndpoint } from '../../http/api/api-endpoint';
import { iso, timestamp } from '../../http/api/api-schemas';
import type { Connection, ConnectionsService } from './connections.service';

const identityResponse = z.object({
  id: z.string(),
  provider: z.string().describe('The provider\'s id in OIDC_PROVIDERS_FILE'),
  provider_name: z.string(),
  provider_configured: z.boolean().describe('False when the provider was removed from the configuration: the identity can no longer sign in'),
  email: z.string().nullable().describe('What the provider last said, for display only'),
  name: z.string().nullable(),
  created_at: timestamp,
  last_used_at: timestamp.nullable(),
});

/** An identity as the JSON API shows it: what the provider said about the person, never a token. */
function identityView(c: Connection): z.infer<typeof identityResponse> {
  return {
    id: c.id,
    provider: c.provider,
    provider_name: c.providerName,
    provider_configured: c.configured,
    email: c.email,
    name: c.displayName,
    created_at: c.createdAt.toISOString(),
    last_used_at: iso(c.lastUsedAt),
  };
}

/** /users/me/identities: the Connections tab's operations (connecting needs the browser, so it is a page only). */
export function connectionsApi(deps: { connections: ConnectionsService }): ApiEndpoint[] {
  return [
    {
      method: 'get',
      path: '/users/me/identities',
      operationId: 'listIdentities',
      operation: OPERATIONS.listIdentities,
      summary: 'The identities at other providers connected to your account',
      tag: 'Connections',
      responses: { 200: { description: 'Oldest first', schema: identityResponse, list: true } },
      /** GET /api/v1/users/me/identities */
      handler: async (req, res) => {
        res.json((await deps.connections.list(callOf(req, res).user)).connections.map(identityView));
      },
    },
    {
      method: 'delete',
      path: '/users/me/identities/{id}',
      operationId: 'disconnectIdentity',
      operation: OPERATIONS.disconnectIdentity,
      summary: 'Disconnect an identity',
      tag: 'Connections',
      responses: {
        204: { description: 'Disconnected; it no longer signs in to this account' },
        404: { description: 'No such identity of yours' },
        409: { description: 'It is the account\'s only way in (no password, passkey or other identity): set a password first' },
      },
      /** DELETE /api/v1/users/me/identities/{id} */
      handler: async (req, res) => {
        const { user, ctx } = callOf(req, res);
        await deps.connections.disconnect(user, String(req.params.id), ctx);
        res.status(204).end();
      },
    },
  ];
}
