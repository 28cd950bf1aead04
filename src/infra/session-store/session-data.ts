import crypto from 'node:crypto';
import type { SessionData } from 'express-session';
import type { DeviceDescription } from '../user-agent';
import type { ProviderIdentity } from '../oidc/oidc-client';

export type AuthMethod =
  | 'password'
  | 'password+totp'
  | 'password+passkey'
  | 'recovery_code'
  | 'passkey'
  | 'set_password'
  // Through an identity provider (the session's authProvider says which), alone or with this service's second step.
  | 'oidc'
  | 'oidc+totp'
  | 'oidc+passkey'
  | 'oidc+recovery_code';

/** A sign-in with an identity provider under way: everything its return must match, used once. */
export interface OidcFlow {
  provider: string;
  /** sign-in (also sign-up), connect to the signed-in account, or confirm identity (reauth). */
  purpose: 'sign-in' | 'connect' | 'reauth';
  state: string;
  nonce: string;
  codeVerifier: string;
  next: string;
  at: number;
  /** Who started it, for connect and reauth: the return must find the same person signed in. */
  userId?: string;
}

/** A first sign-in with a provider, waiting for the person to confirm the new account. */
export type OidcSignUp = ProviderIdentity & {
  provider: string;
  next: string;
  at: number;
};

/** Why a session was ended for someone, told to the device when it next comes back. */
export type EndReason = 'revoked' | 'password_changed' | 'signed_out_everywhere' | 'administrator' | 'session_limit';

/** See SessionData.twoStep. */
export type TwoStepMark = 'reminded' | 'required';

export interface FlashMessage {
  type: 'success' | 'info' | 'warning' | 'error';
  key: string;
  params?: Record<string, string | number>;
  /** For phrases with plural forms. */
  count?: number;
}

declare module 'express-session' {
  interface SessionData {
    userId?: string;
    /** When this signed-in session began (ms); the absolute lifetime counts from here. */
    createdAt?: number;
    /** Last request seen (ms), written at most once a minute. */
    lastSeenAt?: number;
    /** Last time the person proved who they are (ms): sign-in or re-authentication. */
    lastAuthAt?: number;
    authMethod?: AuthMethod;
    /** The identity provider of an `oidc` sign-in (its id in OIDC_PROVIDERS_FILE). */
    authProvider?: string;
    /** Until when (ms) sensitive changes are allowed without confirming identity again. */
    elevatedUntil?: number;
    /** Between the password and the second factor of a sign-in (five minutes at most). */
    pendingSignIn?: { userId: string; at: number; next: string; provider?: string };
    oidcFlow?: OidcFlow;
    /** An application's sign-in (OpenID Provider interaction) sent to sign in or confirm identity: done once lastAuthAt passes `before`. */
    providerLogin?: { uid: string; before: number };
    oidcSignUp?: OidcSignUp;
    /** The one outstanding WebAuthn challenge of this session, for one purpose, single use. */
    webauthn?: { challenge: string; purpose: 'register' | 'sign-in' | 'second-factor' | 'reauth'; expiresAt: number };
    /** An authenticator-app secret being set up, encrypted, until a code confirms it. */
    totpSetup?: string;
    /** New recovery codes, encrypted, shown until the person confirms they saved them. */
    newRecoveryCodes?: string;
    /** A token or app password just created, encrypted, shown once on the next page view. */
    newSecret?: string;
    /** A sensitive form sent without a recent sign-in: shown filled in again afterwards. */
    pendingForm?: { action: string; fields: Record<string, string> };
    ip?: string;
    /** The browser and device, parsed once at sign-in from the User-Agent and its client hints. */
    device?: DeviceDescription;
    flash?: FlashMessage[];
    /**
     * What the two-step policy asked at sign-in of a person without a second factor: a
     * reminder, or setting one up before anything else. Absent: nothing, and no page view
     * of this session reads the policy.
     */
    twoStep?: TwoStepMark;
  }
}

/** A live session as the profile's Sessions tab and the revoke operations see it. */
export interface SessionRecord {
  /** A public handle (SHA-256 of the session id); the id itself is a bearer secret. */
  id: string;
  userId: string;
  data: SessionData;
  expiresAt: Date;
}

export function sessionHandle(sid: string): string {
  return crypto.createHash('sha256').update(sid).digest('hex');
}

/** When the store should forget a session: the cookie's expiry, as express-session computes it. */
export function storeExpiry(data: SessionData, now = Date.now()): number {
  const expires = data.cookie?.expires;
  if (expires) return new Date(expires).getTime();
  return now + (data.cookie?.originalMaxAge ?? 0);
}
