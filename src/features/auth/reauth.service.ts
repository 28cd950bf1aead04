import { ValidationError } from '../../infra/errors';
import type { RequestContext } from '../../http/request-context';
import type { CredentialCheck } from '../password/credential-check';
import type { MfaService } from '../mfa/mfa.service';
import type { User } from '../../core/users/user';
import type { ReauthInput } from './reauth.schemas';
import type { OidcProviderConfig } from '../../infra/oidc/oidc-providers-file';
import type { UserIdentitiesRepository } from '../../core/identities/user-identities.repository';

/**
 * Confirming one's identity again before a sensitive change (step-up): the password, and
 * with a second factor on, a current code too; or a passkey alone (see the passkey pages).
 */
export function createReauthService({ credentials, mfa, identities, providers }: { credentials: CredentialCheck; mfa: MfaService; identities: Pick<UserIdentitiesRepository, 'listByUser'>; providers: ReadonlyArray<Pick<OidcProviderConfig, 'id' | 'name'>> }) {
  return {
    /**
     * What the step-up page asks for. An account made through an identity provider may have
     * no password: it confirms at a provider it is connected to (or with a passkey).
     */
    async requirements(user: User): Promise<{ password: boolean; code: boolean; passkey: boolean; passkeyOnly: boolean; providers: Array<{ id: string; name: string }> }> {
      const status = await mfa.status(user);
      const connected = new Set((await identities.listByUser(user.id)).map((identity) => identity.provider));
      return {
        password: credentials.hasPassword(user),
        code: Boolean(status.totp),
        passkey: status.passkeys > 0,
        passkeyOnly: user.mfaEnabled && !status.totp,
        providers: providers.filter((p) => connected.has(p.id)).map(({ id, name }) => ({ id, name })),
      };
    },

    async confirm(user: User, input: ReauthInput, ctx: RequestContext): Promise<void> {
      if (!(await credentials.verify(user, user.username, input.password, ctx))) {
        throw ValidationError.field('password', 'reauth.errors.wrongPassword');
      }
      if (!user.mfaEnabled) return;
      if (!(await mfa.hasTotp(user))) throw new ValidationError({ _form: { key: 'reauth.errors.usePasskey' } });
      if (!input.code) throw ValidationError.field('code', 'mfa.errors.codeRequired');
      await mfa.verifyTotp(user, input.code);
    },
  };
}

export type ReauthService = ReturnType<typeof createReauthService>;
