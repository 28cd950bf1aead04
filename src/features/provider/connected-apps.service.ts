import type { Clock } from '../../infra/clock';
import { NotFoundError } from '../../infra/errors';
import type { Repos } from '../../core/repos';
import type { User } from '../../core/users/user';
import type { EventContext, NoticeTables, SecurityNotices } from '../../core/security/security-notices';
import type { OidcClientsRepository } from './oidc-clients.repository';
import type { OidcPayloadsRepository } from './oidc-payloads.repository';

type Tables = NoticeTables & { oidcPayloads: OidcPayloadsRepository; oidcClients: OidcClientsRepository };

/** Client ids are letters and digits (applications.service); anything else from a URL names no application, and the database refuses some (a NUL) with an error. */
const CLIENT_ID = /^[A-Za-z0-9_-]{1,128}$/;

/** An application a person allowed to sign them in, as the Connected apps tab, the API and the data export show it. */
export interface ConnectedApp {
  clientId: string;
  name: string;
  scopes: string[];
  allowedAt: Date;
  lastUsedAt: Date | null;
}

/**
 * The applications a person allowed (their grants at this service's OpenID Provider):
 * listing them, and revoking one, which ends its grant, codes and tokens at once.
 */
export function createConnectedAppsService(deps: { repos: Repos<Tables>; notices: SecurityNotices; clock: Clock }) {
  const { repos, notices, clock } = deps;
  return {
    async list(user: Pick<User, 'id'>): Promise<ConnectedApp[]> {
      const grants = await repos.oidcPayloads.listGrants(user.id, clock.now());
      const clients = new Map((await repos.oidcClients.findMany([...new Set(grants.map((grant) => grant.clientId))])).map((client) => [client.clientId, client]));
      return grants.flatMap((grant) => {
        const client = clients.get(grant.clientId);
        return client ? [{ clientId: grant.clientId, name: client.name, scopes: grant.scopes, allowedAt: grant.allowedAt, lastUsedAt: grant.lastUsedAt }] : [];
      });
    },

    /** The person allowed an application on the consent page: recorded and told by mail, once per application. */
    async recordAllowed(user: User, clientId: string, ctx: EventContext): Promise<void> {
      const client = await repos.oidcClients.find(clientId);
      if (!client) return;
      await repos.transaction((tx) => notices.record(tx, user, 'app_allowed', ctx, { name: client.name }));
    },

    /** Ends an application's access now: its grant, codes, access and refresh tokens. */
    async revoke(user: User, clientId: string, ctx: EventContext): Promise<{ name: string }> {
      const client = CLIENT_ID.test(clientId) ? await repos.oidcClients.find(clientId) : undefined;
      if (!client) throw new NotFoundError('provider.apps.errors.notFound');
      await repos.transaction(async (tx) => {
        if (!(await tx.oidcPayloads.revokeApp(user.id, clientId))) throw new NotFoundError('provider.apps.errors.notFound');
        await notices.record(tx, user, 'app_revoked', ctx, { name: client.name });
      });
      return { name: client.name };
    },
  };
}

export type ConnectedAppsService = ReturnType<typeof createConnectedAppsService>;
