import { AppError } from '../../infra/errors';

/**
 * Why a return from an identity provider leads nowhere. Each is shown to the person as a
 * message on the page they go back to (sign-in, or Connections), never as an error page.
 */
export class IdentityError extends AppError {
  constructor(code: string, messageKey: string, params: Record<string, string> = {}, status = 409) {
    super(status, code, messageKey, params);
  }
}

/** No account is connected to this identity, and this provider may not create one. */
export const notConnected = (provider: string) => new IdentityError('identity_not_connected', 'identities.errors.notConnected', { provider }, 403);

/** The provider's address belongs to an account: never linked silently (account takeover). */
export const emailBelongsToAccount = (provider: string, email: string) => new IdentityError('identity_email_taken', 'identities.errors.emailTaken', { provider, email });

export const connectedElsewhere = (provider: string) => new IdentityError('identity_connected_elsewhere', 'identities.errors.connectedElsewhere', { provider });

export const providerAlreadyConnected = (provider: string) => new IdentityError('identity_provider_connected', 'identities.errors.providerAlreadyConnected', { provider });

/** Re-authentication with a provider identity that is not this account's. */
export const notYourIdentity = (provider: string) => new IdentityError('identity_not_yours', 'identities.errors.notYours', { provider }, 403);

/** Re-authentication by provider alone would skip the account's own second step. */
export const reauthNeedsSecondFactor = (provider: string) => new IdentityError('identity_reauth_second_factor', 'identities.errors.reauthNeedsSecondFactor', { provider }, 403);
