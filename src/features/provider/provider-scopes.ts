/**
 * The scopes an application may ask for, each with what the consent page says it gives
 * (locale keys under provider.consent.scopes). `openid` gives the person's stable
 * identifier only; `offline_access` is "stay connected": refresh tokens that outlive the sign-in.
 */
export const PROVIDER_SCOPES = ['openid', 'profile', 'email', 'offline_access'] as const;

/** The lines of the consent page and the Connected apps tab for granted scopes, in a fixed order. */
export function scopeDescriptions(scopes: readonly string[]): string[] {
  return PROVIDER_SCOPES.filter((scope) => scopes.includes(scope)).map((scope) => `provider.consent.scopes.${scope}`);
}
