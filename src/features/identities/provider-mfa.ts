import type { ProviderIdentity } from '../../infra/oidc/oidc-client';

/** RFC 8176 methods proving something held or something one is, beside a password. */
const SECOND_FACTORS = new Set(['otp', 'hwk', 'swk', 'sc', 'sms', 'tel', 'fpt', 'face', 'iris', 'retina', 'vbm', 'pop']);
const KNOWLEDGE = new Set(['pwd', 'pin', 'kba']);

/** Context classes that name multi-factor authentication (PAPE, NIST assurance levels 2 and 3, REFEDS MFA). */
const MFA_ACR = /multi-?factor|(^|[/:_.-])mfa($|[/:_.-])|aal[23]/i;

/**
 * Whether the provider says this sign-in used more than one factor: amr "mfa", or a
 * knowledge factor together with a possession or inherence one, or an MFA context class.
 * Trusted only for providers whose entry sets accept_provider_mfa.
 */
export function providerAssertsMfa(identity: Pick<ProviderIdentity, 'amr' | 'acr'>): boolean {
  const amr = new Set(identity.amr);
  if (amr.has('mfa')) return true;
  const possession = [...amr].some((m) => SECOND_FACTORS.has(m));
  const knowledge = [...amr].some((m) => KNOWLEDGE.has(m));
  if (possession && (knowledge || amr.size > 1)) return true;
  return identity.acr !== null && MFA_ACR.test(identity.acr);
}
