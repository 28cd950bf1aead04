import { amrOf } from '../../../src/features/provider/provider-amr';
import { providerAssertsMfa } from '../../../src/features/identities/provider-mfa';
import type { AuthMethod } from '../../../src/infra/session-store/session-data';

/** Every way to sign in to this service, and what an application is told of it (RFC 8176); the type makes the list complete. */
const EXPECTED: Record<AuthMethod, string[]> = {
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
const METHODS = Object.keys(EXPECTED) as AuthMethod[];
/** A second factor, or a passkey (a hardware key with user verification: two factors in one). */
const MULTI_FACTOR = new Set<AuthMethod>(['password+totp', 'password+passkey', 'recovery_code', 'passkey', 'oidc+totp', 'oidc+passkey', 'oidc+recovery_code']);

describe('How the person signed in, as the ID token says it (amrOf)', () => {
  it.each(METHODS)('%s', (method) => {
    expect(amrOf(method)).toEqual(EXPECTED[method]);
  });

  it("says 'mfa' exactly when a second factor was used: never for a password or an identity provider alone", () => {
    for (const method of METHODS) expect({ method, mfa: amrOf(method).includes('mfa') }).toEqual({ method, mfa: MULTI_FACTOR.has(method) });
    expect(amrOf('password')).not.toContain('mfa');
    expect(amrOf('oidc')).not.toContain('mfa');
  });

  it('is read as multi-factor exactly then by another service that signs people in with this one', () => {
    for (const method of METHODS) expect({ method, mfa: providerAssertsMfa({ amr: amrOf(method), acr: null }) }).toEqual({ method, mfa: MULTI_FACTOR.has(method) });
  });

  it('says nothing when the method is unknown (a session from before it was recorded)', () => {
    expect(amrOf(undefined)).toEqual([]);
  });
});
