import type { Clock } from '../../infra/clock';
import { NotFoundError } from '../../infra/errors';
import type { Repos } from '../../core/repos';
import type { ApplicationsService } from '../provider/applications.service';
import type { OidcClientRecord, OidcClientsRepository } from '../provider/oidc-clients.repository';
import type { OidcPayloadsRepository } from '../provider/oidc-payloads.repository';
import type { NewApplicationInput } from '../provider/provider.schemas';
import type { AdminAuditRepository } from './admin-audit.repository';
import type { ActorContext } from './actor-context';

/** The tables this module reads and writes. */
type Tables = { adminAudit: AdminAuditRepository; oidcClients: OidcClientsRepository; oidcPayloads: OidcPayloadsRepository };

/** Client ids are hex (applications.service); anything else from a URL names no application, and the database refuses some (a NUL). */
const CLIENT_ID = /^[A-Za-z0-9_-]{1,128}$/;

/** A registered application as the console lists it: how many people allowed it besides what apps:list shows. */
export type ListedApplication = OidcClientRecord & { people: number };

/**
 * The console's Applications: the same registration and removal as apps:create and
 * apps:remove, each with its audit row in the same transaction.
 */
export function createAdminApplicationsService(deps: { repos: Repos<Tables>; applications: ApplicationsService; clock: Clock }) {
  const { repos, applications, clock } = deps;
  const audit = (tx: Tables, ctx: ActorContext, action: string, client: OidcClientRecord) =>
    // OpenID Connect's names for the two. PostgreSQL keeps an object's shorter keys first, so the
    // log's one-line summary shows the id whole and cuts a long name short, not the other way round.
    tx.adminAudit.record({ actor: ctx.actor, action, ip: ctx.ip, userAgent: ctx.userAgent, data: { client_id: client.clientId, client_name: client.name }, now: clock.now() });

  return {
    /** Oldest first, as they were registered. */
    async list(): Promise<ListedApplication[]> {
      const [clients, people] = await Promise.all([applications.list(), repos.oidcPayloads.countPeopleByClient(clock.now())]);
      return clients.map((client) => ({ ...client, people: people.get(client.clientId) ?? 0 }));
    },

    /** Registers an application; its secret (none for a public one) is returned this once. */
    register(input: NewApplicationInput, ctx: ActorContext): ReturnType<ApplicationsService['register']> {
      return repos.transaction(async (tx) => {
        const registered = await applications.register(input, tx);
        await audit(tx, ctx, 'application_registered', registered.client);
        return registered;
      });
    },

    /** Removes an application with every grant and token it holds; its users are signed out of it. */
    async remove(clientId: string, ctx: ActorContext): Promise<OidcClientRecord> {
      const client = CLIENT_ID.test(clientId) ? await repos.oidcClients.find(clientId) : undefined;
      if (!client) throw new NotFoundError('admin.applications.errors.notFound');
      await repos.transaction(async (tx) => {
        // Another administrator (or apps:remove) may have removed it since it was found.
        if (!(await applications.remove(clientId, tx))) throw new NotFoundError('admin.applications.errors.notFound');
        await audit(tx, ctx, 'application_removed', client);
      });
      return client;
    },
  };
}

export type AdminApplicationsService = ReturnType<typeof createAdminApplicationsService>;
