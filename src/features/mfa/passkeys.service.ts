import {
  generateAuthenticationOptions,
  generateRegistrationOptions,
  verifyAuthenticationResponse,
  verifyRegistrationResponse,
  type AuthenticationResponseJSON,
  type PublicKeyCredentialCreationOptionsJSON,
  type PublicKeyCredentialRequestOptionsJSON,
  type RegistrationResponseJSON,
} from '@simplewebauthn/server';
import type { Clock } from '../../infra/clock';
import { assertLocalTwoStep, type LocalTwoStep } from './local-two-step';
import type { Limiter } from '../../infra/rate-limit';
import type { SingleUseClaims } from '../../infra/single-use-claims';
import type { SessionRegistry } from '../../infra/session-store/session-registry';
import { AppError, NotFoundError } from '../../infra/errors';
import type { RequestContext } from '../../http/request-context';
import type { AuthenticatorsRepository } from './authenticators.repository';
import type { Repos } from '../../core/repos';
import type { NoticeTables, SecurityNotices } from '../../core/security/security-notices';
import type { User } from '../../core/users/user';
import type { PasskeyRecord } from './authenticators.repository';
import { endOtherSessions } from './other-sessions';
import { defaultPasskeyName } from './passkey-names';
import { lockWaysIn } from '../../core/account-state/ways-in';
import type { UserIdentitiesRepository } from '../../core/identities/user-identities.repository';
import type { AdvisoryLocksRepository } from '../../infra/advisory-locks.repository';
import { createRecoveryCodeHasher, newRecoveryCodeSet } from './recovery-codes';

/** The tables this module reads and writes. */
type Tables = NoticeTables & { authenticators: AuthenticatorsRepository; identities: UserIdentitiesRepository; locks: AdvisoryLocksRepository };

export class PasskeyError extends AppError {
  constructor(key = 'passkeys.errors.failed') {
    super(400, 'passkey_failed', key);
  }
}

export class LastWayInError extends AppError {
  constructor() {
    super(409, 'last_way_in', 'passkeys.errors.lastWayIn');
  }
}

const b64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64url');

/** How long a challenge may be answered. */
export const CHALLENGE_LIFETIME_MS = 5 * 60_000;
/** A used challenge is remembered longer than it lives, so that processes whose clocks differ agree. */
const CLAIM_TTL_MS = 3 * CHALLENGE_LIFETIME_MS;

/**
 * Passkeys (WebAuthn) through @simplewebauthn/server. The relying party is BASE_URL's
 * host and the only accepted origin is BASE_URL's origin; user verification is required;
 * a signature counter that goes backwards (a cloned authenticator) is refused. Each
 * challenge is answered once across all processes: the session that holds it is no
 * guard against two requests carrying that session at the same moment, and many
 * authenticators keep no counter.
 */
export function createPasskeysService(deps: { repos: Repos<Tables>; clock: Clock; notices: SecurityNotices; sessions: SessionRegistry; claims: SingleUseClaims; limiter: Limiter; baseUrl: URL; productName: string; bcryptCost: number; localTwoStep: LocalTwoStep }) {
  const { repos, clock, notices } = deps;
  const recoveryCodes = createRecoveryCodeHasher(deps.bcryptCost);
  const rpID = deps.baseUrl.hostname;
  const origin = deps.baseUrl.origin;

  async function useChallenge(challenge: string): Promise<void> {
    if (!(await deps.claims.claim(`webauthn:${challenge}`, CLAIM_TTL_MS))) throw new PasskeyError();
  }

  return {
    list: (user: User): Promise<PasskeyRecord[]> => repos.authenticators.listPasskeys(user.id),

    async registrationOptions(user: User): Promise<PublicKeyCredentialCreationOptionsJSON> {
      assertLocalTwoStep(deps.localTwoStep, user);
      const existing = await repos.authenticators.listPasskeys(user.id);
      return generateRegistrationOptions({
        rpName: deps.productName,
        rpID,
        userName: user.username,
        userDisplayName: `${user.firstName} ${user.lastName}`,
        userID: new TextEncoder().encode(user.id),
        attestationType: 'none',
        excludeCredentials: existing.map((p) => ({ id: p.credentialId, transports: p.transports })),
        authenticatorSelection: { residentKey: 'required', userVerification: 'required' },
        timeout: 300_000,
      });
    },

    /** Checks the new credential against the challenge this session was given, and stores it. */
    /**
     * Stores a new passkey. A first second factor also brings the account its recovery
     * codes, in the same transaction (two-step never goes on without them); they are
     * returned to be shown once, or null when the account already has codes.
     */
    async register(
      user: User,
      response: RegistrationResponseJSON,
      expectedChallenge: string,
      ctx: RequestContext,
      options: { name?: string; signOutOthers?: boolean } = {},
    ): Promise<{ passkey: PasskeyRecord; recoveryCodes: string[] | null }> {
      assertLocalTwoStep(deps.localTwoStep, user);
      await useChallenge(expectedChallenge);
      let verification;
      try {
        verification = await verifyRegistrationResponse({ response, expectedChallenge, expectedOrigin: origin, expectedRPID: rpID, requireUserVerification: true });
      } catch {
        throw new PasskeyError();
      }
      if (!verification.verified) throw new PasskeyError();
      const { credential, aaguid } = verification.registrationInfo;
      const existing = (await repos.authenticators.listPasskeys(user.id)).map((p) => p.name);
      const finalName = options.name?.trim() || defaultPasskeyName(aaguid, existing);
      const codes = (await repos.authenticators.findRecoveryCodes(user.id)) ? null : await newRecoveryCodeSet(recoveryCodes);
      const issued = await repos.transaction(async (tx) => {
        const added = await tx.authenticators.insertPasskey(user.id, { name: finalName, credentialId: credential.id, publicKey: b64(credential.publicKey), counter: credential.counter, transports: credential.transports ?? [], aaguid }, clock.now());
        if (!added) throw new PasskeyError('passkeys.errors.duplicate');
        await tx.users.setMfaEnabled(user.id, true, clock.now());
        await notices.record(tx, user, 'passkey_added', ctx, { name: finalName });
        if (!codes || (await tx.authenticators.findRecoveryCodes(user.id))) return null;
        await tx.authenticators.replaceRecoveryCodes(user.id, codes.hashes, clock.now());
        return codes.plain;
      });
      await endOtherSessions(deps.sessions, user.id, ctx, options.signOutOthers ?? false);
      return { passkey: (await repos.authenticators.findPasskeyByCredentialId(credential.id)) as PasskeyRecord, recoveryCodes: issued };
    },

    /** Options for a sign-in: any discoverable passkey, or only this person's (second step, step-up). */
    async authenticationOptions(user?: User): Promise<PublicKeyCredentialRequestOptionsJSON> {
      const allow = user ? (await repos.authenticators.listPasskeys(user.id)).map((p) => ({ id: p.credentialId, transports: p.transports })) : undefined;
      return generateAuthenticationOptions({ rpID, userVerification: 'required', allowCredentials: allow, timeout: 300_000 });
    },

    /** Whose passkey signed the challenge; `expectedUser` when the signer must be a known person. */
    async authenticate(response: AuthenticationResponseJSON, expectedChallenge: string, ip: string, expectedUser?: User): Promise<User> {
      await deps.limiter.consume(ip);
      await useChallenge(expectedChallenge);
      const passkey = typeof response?.id === 'string' ? await repos.authenticators.findPasskeyByCredentialId(response.id) : undefined;
      if (!passkey || (expectedUser && passkey.userId !== expectedUser.id)) throw new PasskeyError('passkeys.errors.unknown');
      let verification;
      try {
        verification = await verifyAuthenticationResponse({
          response,
          expectedChallenge,
          expectedOrigin: origin,
          expectedRPID: rpID,
          requireUserVerification: true,
          credential: { id: passkey.credentialId, publicKey: Buffer.from(passkey.publicKey, 'base64url'), counter: passkey.counter, transports: passkey.transports },
        });
      } catch {
        throw new PasskeyError();
      }
      if (!verification.verified || !(await repos.authenticators.recordPasskeyUse(passkey.id, verification.authenticationInfo.newCounter, clock.now()))) {
        throw new PasskeyError();
      }
      const user = await repos.users.findById(passkey.userId);
      if (!user) throw new PasskeyError('passkeys.errors.unknown');
      return user;
    },

    async rename(user: User, id: string, name: string): Promise<void> {
      if (!(await repos.authenticators.renamePasskey(user.id, id, name))) throw new NotFoundError('passkeys.errors.notFound');
    },

    /** Never the last way in: an account without a password keeps a passkey or a connected identity. */
    async remove(user: User, id: string, ctx: RequestContext, signOutOthers = false): Promise<void> {
      await repos.transaction(async (tx) => {
        await lockWaysIn(tx, user.id);
        const passkeys = await tx.authenticators.lockPasskeys(user.id);
        const target = passkeys.find((p) => p.id === id);
        if (!target) throw new NotFoundError('passkeys.errors.notFound');
        if (!user.passwordHash && passkeys.length === 1 && (await tx.identities.countByUser(user.id)) === 0) throw new LastWayInError();
        await tx.authenticators.deletePasskey(user.id, id);
        const stillProtected = passkeys.length > 1 || Boolean(await tx.authenticators.findTotp(user.id));
        await tx.users.setMfaEnabled(user.id, stillProtected, clock.now());
        if (!stillProtected) await tx.authenticators.deleteTypes(user.id, ['recovery_codes']);
        await notices.record(tx, user, 'passkey_removed', ctx, { name: target.name });
      });
      await endOtherSessions(deps.sessions, user.id, ctx, signOutOthers);
    },

  };
}

export type PasskeysService = ReturnType<typeof createPasskeysService>;
