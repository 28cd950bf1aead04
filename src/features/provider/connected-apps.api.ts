import { z } from 'zod';
import { OPERATIONS } from '../../core/operations';
import { callOf, type ApiEndpoint } from '../../http/api/api-endpoint';
import { iso, timestamp } from '../../http/api/api-schemas';
import type { ConnectedApp, ConnectedAppsService } from './connected-apps.service';
import { PROVIDER_SCOPES } from './provider-scopes';

const appResponse = z.object({
  client_id: z.string(),
  name: z.string(),
  scopes: z.array(z.string()).describe(`What it may see: ${PROVIDER_SCOPES.join(', ')}`),
  allowed_at: timestamp,
  last_used_at: timestamp.nullable().describe('When it last got a code or token for you; null if never'),
});

/** An application as the JSON API shows it: what it may see and when, never a grant or token id. */
function appView(app: ConnectedApp): z.infer<typeof appResponse> {
  return { client_id: app.clientId, name: app.name, scopes: app.scopes, allowed_at: app.allowedAt.toISOString(), last_used_at: iso(app.lastUsedAt) };
}

/** /users/me/apps: the Connected apps tab's operations (allowing one happens on the consent page only). */
export function connectedAppsApi(deps: { connectedApps: ConnectedAppsService }): ApiEndpoint[] {
  return [
    {
      method: 'get',
      path: '/users/me/apps',
      operationId: 'listConnectedApps',
      operation: OPERATIONS.listConnectedApps,
      summary: 'The applications you allowed to sign you in with this account',
      tag: 'Connected apps',
      responses: { 200: { description: 'Oldest first', schema: appResponse, list: true } },
      /** GET /api/v1/users/me/apps */
      handler: async (req, res) => {
        res.json((await deps.connectedApps.list(callOf(req, res).user)).map(appView));
      },
    },
    {
      method: 'delete',
      path: '/users/me/apps/{client_id}',
      operationId: 'revokeConnectedApp',
      operation: OPERATIONS.revokeConnectedApp,
      summary: 'Revoke an application\'s access',
      tag: 'Connected apps',
      responses: {
        204: { description: 'Revoked: its grant, codes and tokens end now; it must ask you again' },
        404: { description: 'No such application, or you never allowed it' },
      },
      /** DELETE /api/v1/users/me/apps/{client_id} */
      handler: async (req, res) => {
        const { user, ctx } = callOf(req, res);
        await deps.connectedApps.revoke(user, String(req.params.client_id), ctx);
        res.status(204).end();
      },
    },
  ];
}
