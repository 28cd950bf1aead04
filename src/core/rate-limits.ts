import type { Config } from '../config';
import type { LimitSpec } from '../infra/rate-limit';

const MINUTE = 60;
const HOUR = 3600;

/**
 * Every limit on credential checks, account creation, mail a visitor can trigger, costly
 * or revealing public answers and API calls, in one place: the services use these and
 * SECURITY.md documents them (a test compares the two). `per: 'address'` limits count
 * IPv6 clients by their /64 network.
 */
export function rateLimits(config: Config) {
  return {
    signInAccountAndIp: { name: 'signin-account-ip', points: config.signInLimits.perAccountAndIp, windowSeconds: 15 * MINUTE },
    signInAccountAndDevice: { name: 'signin-account-device', points: config.signInLimits.perAccountAndIp, windowSeconds: 15 * MINUTE },
    signInAccount: { name: 'signin-account', points: config.signInLimits.perAccount, windowSeconds: HOUR },
    signInIp: { name: 'signin-ip', points: config.signInLimits.perIp, windowSeconds: HOUR, per: 'address' },
    signUpIp: { name: 'signup-ip', points: 20, windowSeconds: HOUR, per: 'address' },
    resetIp: { name: 'reset-ip', points: 20, windowSeconds: HOUR, per: 'address' },
    resetAddress: { name: 'reset-address', points: 5, windowSeconds: HOUR },
    verifyResend: { name: 'verify-resend', points: 5, windowSeconds: HOUR },
    setPasswordLink: { name: 'set-password-link', points: 5, windowSeconds: HOUR },
    passwordStrengthIp: { name: 'strength-ip', points: 120, windowSeconds: MINUTE, per: 'address' },
    secondFactorAccount: { name: 'second-factor-account', points: 10, windowSeconds: 15 * MINUTE },
    passkeyIp: { name: 'passkey-ip', points: 60, windowSeconds: 15 * MINUTE, per: 'address' },
    authorizedKeysIp: { name: 'keys-ip', points: 300, windowSeconds: 15 * MINUTE, per: 'address' },
    avatarAccount: { name: 'avatar-account', points: 20, windowSeconds: HOUR },
    providerClientIp: { name: 'provider-client-ip', points: 60, windowSeconds: 15 * MINUTE, per: 'address' },
    apiClient: { name: 'api-client', points: 600, windowSeconds: MINUTE },
    apiIp: { name: 'api-ip', points: 1200, windowSeconds: MINUTE, per: 'address' },
  } satisfies Record<string, LimitSpec>;
}
