import type { Clock } from '../../infra/clock';
import { ValidationError } from '../../infra/errors';
import type { Limiter } from '../../infra/rate-limit';
import type { OidcProviderConfig } from '../../infra/oidc/oidc-providers-file';
import type { ProviderIdentity } from '../../infra/oidc/oidc-client';
import type { OidcSignUp } from '../../infra/session-store/session-data';
import type { RequestContext } from '../../http/request-context';
import type { DeletedIdentitiesRepository } from '../../core/account-state/deleted-identities.repository';
import { identityErrors } from '../../core/account-state/identity-availability';
import { AccountLockedError, PasswordResetRequiredError } from '../../core/account-state/sign-in-errors';
import type { Repos } from '../../core/repos';
import type { NoticeTables, SecurityNotices } from '../../core/security/security-notices';
import type { User } from '../../core/users/user';
import { DuplicateUserError } from '../../core/users/users.repository';
import { SignUpClosedError, type SignUpService } from '../auth/sign-up.service';
import type { EmailVerificationService } from '../auth/email-verification.service';
import type { IdentitySignUpInput } from './identities.schemas';
import { connectedElsewhere, emailBelongsToAccount, notConnected, notYourIdentity, providerAlreadyConnected, reauthNeedsSecondFactor } from './identity-errors';
import { IdentityTakenError, type UserIdentitiesRepository } from '../../core/identities/user-identities.repository';
import { providerAssertsMfa } from './provider-mfa';

/** The tables this module reads and writes. */
type Tables = NoticeTables & { identities: UserIdentitiesRepository; deletedIdentities: DeletedIdentitiesRepository };

export type SignInOutcome = { kind: 'user'; user: User; providerMfa: boolean } | { kind: 'sign-up' };

const display = (identity: Pick<ProviderIdentity, 'email' | 'name' | 'givenName' | 'familyName' | 'preferredUsername'>) => ({
  email: identity.email,
  displayName: identity.name ?? ([identity.givenName, identity.familyName].filter(Boolean).join(' ') || identity.preferredUsername),
});

/** The username rule's characters only, lower-case, at most 32. */
const usernameBase = (raw: string) =>
  raw
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[^a-z0-9._-]+/g, '')
    .replace(/^[._-]+/, '')
    .slice(0, 32);

/**
 * What a validated identity from a provider leads to: signing in to the account it is
 * connected to, creating an account after the person confirms it, connecting it to the
 * signed-in account, or confirming that person's identity. A person is recognised by
 * issuer and subject only: an address the provider reports never links accounts.
 */
export function createIdentitySignInService(deps: {
  repos: Repos<Tables>;
  clock: Clock;
  notices: SecurityNotices;
  signUp: SignUpService;
  emailVerification: EmailVerificationService;
  signUpLimiter: Limiter;
}) {
  const { repos, clock, notices } = deps;

  return {
    /**
     * A username for the confirmation page to offer: the provider's preferred one, or the
     * address's local part, within the username rule and not taken (the person may change it).
     */
    async suggestUsername(pending: Pick<OidcSignUp, 'preferredUsername' | 'email'>): Promise<string> {
      const base = usernameBase(pending.preferredUsername ?? pending.email?.split('@')[0] ?? '');
      if (base.length < 3) return '';
      const now = clock.now();
      for (const candidate of [base, ...[2, 3, 4, 5, 6, 7, 8, 9].map((n) => `${base.slice(0, 31)}${n}`)]) {
        if (Object.keys(await identityErrors(repos, { username: candidate }, now)).length === 0) return candidate;
      }
      return '';
    },

    /** A return from the provider on the sign-in page. */
    async resolveSignIn(provider: OidcProviderConfig, identity: ProviderIdentity): Promise<SignInOutcome> {
      const connected = await repos.identities.findBySubject(provider.id, identity.issuer, identity.subject);
      if (connected) {
        const user = await repos.users.findById(connected.userId);
        if (!user) throw notConnected(provider.name);
        if (user.lockedAt) throw new AccountLockedError();
        if (user.passwordResetRequired) throw new PasswordResetRequiredError();
        await repos.identities.recordUse(connected.id, display(identity), clock.now());
        return { kind: 'user', user, providerMfa: provider.acceptProviderMfa && providerAssertsMfa(identity) };
      }
      if (!provider.allowSignup || !(await deps.signUp.isOpen())) throw notConnected(provider.name);
      if (identity.email && (await repos.users.findByEmail(identity.email))) throw emailBelongsToAccount(provider.name, identity.email);
      return { kind: 'sign-up' };
    },

    /**
     * The confirmation page's answer: a new account without a password, connected to the
     * identity, in one transaction. The address counts as verified only when it is the one
     * the provider reported as verified and the operator trusts the provider to say so;
     * otherwise the usual verification link is mailed.
     */
    async confirmSignUp(provider: OidcProviderConfig, pending: OidcSignUp, input: IdentitySignUpInput, ctx: RequestContext): Promise<User> {
      if (!provider.allowSignup || !(await deps.signUp.isOpen())) throw new SignUpClosedError();
      await deps.signUpLimiter.consume(ctx.ip);
      const now = clock.now();
      ValidationError.throwIfAny({ ...(await deps.signUp.check({ email: input.email })), ...(await identityErrors(repos, input, now)) });
      const verified = provider.trustEmailVerified && pending.emailVerified && pending.email === input.email.toLowerCase();
      try {
        return await repos.transaction(async (tx) => {
          const user = await tx.users.insert({
            username: input.username,
            email: input.email,
            firstName: input.first_name,
            lastName: input.last_name,
            passwordHash: null,
            language: ctx.locale,
            theme: null,
            now,
            source: 'oidc',
            emailVerifiedAt: verified ? now : null,
          });
          await tx.identities.insert({ userId: user.id, provider: provider.id, issuer: pending.issuer, subject: pending.subject, ...display(pending), now });
          if (!verified) await deps.emailVerification.queueFor(tx, user);
          return user;
        });
      } catch (err) {
        if (err instanceof DuplicateUserError) throw ValidationError.field(err.field, err.field === 'username' ? 'auth.signUp.errors.usernameTaken' : 'auth.signUp.errors.emailTaken');
        if (err instanceof IdentityTakenError) throw connectedElsewhere(provider.name);
        throw err;
      }
    },

    /** Connects the identity to the signed-in account; `already` when it is connected to it. */
    async connect(user: User, provider: OidcProviderConfig, identity: ProviderIdentity, ctx: RequestContext): Promise<'connected' | 'already'> {
      const existing = await repos.identities.findBySubject(provider.id, identity.issuer, identity.subject);
      if (existing && existing.userId !== user.id) throw connectedElsewhere(provider.name);
      if (existing) return 'already';
      try {
        await repos.transaction(async (tx) => {
          await tx.identities.insert({ userId: user.id, provider: provider.id, issuer: identity.issuer, subject: identity.subject, ...display(identity), now: clock.now() });
          await notices.record(tx, user, 'identity_connected', ctx, { name: provider.name });
        });
      } catch (err) {
        if (err instanceof IdentityTakenError) throw err.conflict === 'provider' ? providerAlreadyConnected(provider.name) : connectedElsewhere(provider.name);
        throw err;
      }
      return 'connected';
    },

    /**
     * Confirms the signed-in person's identity through a provider (instead of a password):
     * the identity must be theirs, and it stands in for their second step only where the
     * operator accepts the provider's.
     */
    async reauthenticate(user: User, provider: OidcProviderConfig, identity: ProviderIdentity): Promise<void> {
      const connected = await repos.identities.findBySubject(provider.id, identity.issuer, identity.subject);
      if (!connected || connected.userId !== user.id) throw notYourIdentity(provider.name);
      if (user.mfaEnabled && !(provider.acceptProviderMfa && providerAssertsMfa(identity))) throw reauthNeedsSecondFactor(provider.name);
      await repos.identities.recordUse(connected.id, display(identity), clock.now());
    },
  };
}

export type IdentitySignInService = ReturnType<typeof createIdentitySignInService>;
