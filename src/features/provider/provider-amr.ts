import type { AuthMethod } from '../../infra/session-store/session-data';

/**
 * The `amr` values (RFC 8176) for how the person signed in to this service: what an
 * application sees in the ID token. `mfa` whenever a second factor was used; a passkey
 * alone is a hardware key with user verification, so it counts as two factors.
 */
const AMR: Record<AuthMethod, string[]> = {
  password: ['pwd'],
  set_password: ['pwd'],
  'password+totp': ['pwd', 'otp', 'mfa'],
  'password+passkey': ['pwd', 'hwk', 'mfa'],
  recovery_code: ['pwd', 'kba', 'mfa'],
  passkey: ['hwk', 'user', 'mfa'],
  oidc: ['fed'],
  'oidc+totp': ['fed', 'otp', 'mfa'],
  'oidc+passkey': ['fed', 'hwk', 'mfa'],
  'oidc+recovery_code': ['fed', 'kba', 'mfa'],
};

export function amrOf(method: AuthMethod | undefined): string[] {
  return method ? AMR[method] : [];
}
