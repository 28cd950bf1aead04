import crypto from 'node:crypto';
import type { Clock } from '../../infra/clock';
import type { DataCipher } from '../../infra/crypto/data-cipher';
import type { Repos } from '../../core/repos';
import type { OidcClientRecord, OidcClientsRepository } from './oidc-clients.repository';
import type { NewApplicationInput } from './provider.schemas';

type Tables = { oidcClients: OidcClientsRepository };

/**
 * Applications that sign their users in with this service, registered by an operator
 * (apps:create) or an administrator (the console). The secret is shown once, at
 * registration; it is kept encrypted with DATA_KEY. `tx`: the caller's transaction, when
 * the change commits together with its own (the console's audit row).
 */
export function createApplicationsService(deps: { repos: Repos<Tables>; secrets: DataCipher; clock: Clock }) {
  return {
    async register(input: NewApplicationInput, tx: Tables = deps.repos): Promise<{ client: OidcClientRecord; clientSecret: string | null }> {
      // Hex: an id starting with '-' would be taken for an option by apps:remove and other command lines.
      const clientId = crypto.randomBytes(16).toString('hex');
      const clientSecret = input.public ? null : crypto.randomBytes(32).toString('base64url');
      const client: OidcClientRecord = {
        clientId,
        name: input.name,
        secretCiphertext: clientSecret === null ? null : deps.secrets.encrypt(clientSecret),
        redirectUris: [...new Set(input.redirect_uris)],
        postLogoutRedirectUris: [...new Set(input.post_logout_redirect_uris)],
        public: input.public,
        createdAt: deps.clock.now(),
      };
      await tx.oidcClients.insert(client);
      return { client, clientSecret };
    },

    list: () => deps.repos.oidcClients.list(),

    /** Removes an application; its grants and tokens go with it. */
    remove: (clientId: string, tx: Tables = deps.repos) => tx.oidcClients.remove(clientId),
  };
}

export type ApplicationsService = ReturnType<typeof createApplicationsService>;
