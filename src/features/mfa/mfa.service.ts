import type { Clock } from '../../infra/clock';
import { assertLocalTwoStep, type LocalTwoStep } from './local-two-step';
import type { DataCipher } from '../../infra/crypto/data-cipher';
import type { Limiter } from '../../infra/rate-limit';
import type { SessionRegistry } from '../../infra/session-store/session-registry';
import { NotFoundError, ValidationError } from '../../infra/errors';
import type { RequestContext } from '../../http/request-context';
import type { AuthenticatorsRepository } from './authenticators.repository';
import type { Repos } from '../../core/repos';
import type { NoticeTables, SecurityNotices } from '../../core/security/security-notices';
import type { User } from '../../core/users/user';
import { endOtherSessions } from './other-sessions';
import { createRecoveryCodeHasher, newRecoveryCodeSet } from './recovery-codes';
import { matchTotp, newTotpSecret } from './totp';

/** The tables this module reads and writes. */
type Tables = NoticeTables & { authenticators: AuthenticatorsRepository };

export interface MfaDeps {
  repos: Repos<Tables>;
  cipher: DataCipher;
  clock: Clock;
  notices: SecurityNotices;
  sessions: SessionRegistry;
  /** Second-factor attempts per account: a code has 1 in a million chances, so few tries. */
  limiter: Limiter;
  driftSteps: number;
  bcryptCost: number;
  localTwoStep: LocalTwoStep;
}

export interface MfaStatus {
  totp: { since: Date } | null;
  recoveryCodesLeft: number;
  passkeys: number;
}

/** How long a setup page's secret stays good for: long enough to find the phone and scan it. */
const ENROLMENT_LIFETIME_MS = 60 * 60_000;

interface SealedEnrolment {
  userId: string;
  secret: string;
  startedAt: number;
}

const invalidCode = (field: string) => ValidationError.field(field, 'mfa.errors.wrongCode');

/** Authenticator-app codes and recovery codes: enrolment, sign-in, step-up, switching off. */
export function createMfaService(deps: MfaDeps) {
  const { repos, cipher, clock, notices, limiter } = deps;
  const codes = createRecoveryCodeHasher(deps.bcryptCost);

  /** Checks a code against the stored secret and uses up its time step, or fails. */
  async function useTotpCode(user: User, code: string, field: string): Promise<void> {
    await limiter.consume(user.id);
    const totp = await repos.authenticators.findTotp(user.id);
    if (!totp) throw invalidCode(field);
    const step = await matchTotp(cipher.decrypt(totp.secret), code.replace(/\s/g, ''), clock.now().getTime(), deps.driftSteps, totp.lastUsedStep);
    if (step === null || !(await repos.authenticators.claimTotpStep(totp.id, step, clock.now()))) throw invalidCode(field);
  }

  /** The secret of a sealed enrolment, if it is this person's and not older than ENROLMENT_LIFETIME_MS. */
  function openEnrolment(user: User, sealed: string): string | undefined {
    let enrolment: Partial<SealedEnrolment>;
    try {
      enrolment = JSON.parse(cipher.decrypt(sealed)) as Partial<SealedEnrolment>;
    } catch {
      return undefined;
    }
    const fresh = typeof enrolment.startedAt === 'number' && clock.now().getTime() - enrolment.startedAt < ENROLMENT_LIFETIME_MS;
    return enrolment.userId === user.id && fresh && typeof enrolment.secret === 'string' ? enrolment.secret : undefined;
  }

  async function issueRecoveryCodes(tx: Tables, userId: string): Promise<string[]> {
    const { plain, hashes } = await newRecoveryCodeSet(codes);
    await tx.authenticators.replaceRecoveryCodes(userId, hashes, clock.now());
    return plain;
  }

  return {
    /** The person half-way through signing in (password given, second factor not yet). */
    async pendingUser(userId: string): Promise<User | undefined> {
      return repos.users.findById(userId);
    },

    /** Whether an authenticator app is set up (step-up asks for its code). */
    async hasTotp(user: User): Promise<boolean> {
      return (await repos.authenticators.findTotp(user.id)) !== undefined;
    },

    async status(user: User): Promise<MfaStatus> {
      const [totp, set, passkeys] = await Promise.all([repos.authenticators.findTotp(user.id), repos.authenticators.findRecoveryCodes(user.id), repos.authenticators.countPasskeys(user.id)]);
      return { totp: totp ? { since: totp.createdAt } : null, recoveryCodesLeft: set ? set.codes.filter((c) => !c.usedAt).length : 0, passkeys };
    },

    /**
     * The enrolment in progress: the secret the setup page shows, sealed with the person's
     * id and when it began, so it can wait in their session until a code confirms it. One
     * still valid for this person is kept (reloading the page shows the same QR code).
     */
    beginTotpEnrolment(user: User, current?: string): { secret: string; sealed: string } {
      assertLocalTwoStep(deps.localTwoStep, user);
      const pending = current === undefined ? undefined : openEnrolment(user, current);
      if (pending) return { secret: pending, sealed: current as string };
      const secret = newTotpSecret();
      const enrolment: SealedEnrolment = { userId: user.id, secret, startedAt: clock.now().getTime() };
      return { secret, sealed: cipher.encrypt(JSON.stringify(enrolment)) };
    },

    /** Turns the authenticator app on once a current code proves it is set up; returns the new recovery codes. */
    async enableTotp(user: User, sealed: string | undefined, code: string, ctx: RequestContext, signOutOthers: boolean): Promise<string[]> {
      // No secret was shown to this person lately (it expired, or the setup page was skipped): start over.
      assertLocalTwoStep(deps.localTwoStep, user);
      const secret = sealed === undefined ? undefined : openEnrolment(user, sealed);
      if (!secret) throw ValidationError.field('code', 'mfa.errors.setupRestarted');
      await limiter.consume(user.id);
      const step = await matchTotp(secret, code.replace(/\s/g, ''), clock.now().getTime(), deps.driftSteps, -1);
      if (step === null) throw invalidCode('code');
      const plain = await repos.transaction(async (tx) => {
        if (!(await tx.authenticators.insertTotp(user.id, cipher.encrypt(secret), step, clock.now()))) throw ValidationError.field('code', 'mfa.errors.alreadyOn');
        await tx.users.setMfaEnabled(user.id, true, clock.now());
        await notices.record(tx, user, 'mfa_enabled', ctx);
        return issueRecoveryCodes(tx, user.id);
      });
      await endOtherSessions(deps.sessions, user.id, ctx, signOutOthers);
      return plain;
    },

    /** Turns the authenticator app off; needs a current code. Passkeys, if any, stay. */
    async disableTotp(user: User, code: string, ctx: RequestContext, signOutOthers: boolean): Promise<void> {
      await useTotpCode(user, code, 'code');
      await repos.transaction(async (tx) => {
        await tx.authenticators.deleteTypes(user.id, ['totp', 'recovery_codes']);
        await tx.users.setMfaEnabled(user.id, (await tx.authenticators.countPasskeys(user.id)) > 0, clock.now());
        await notices.record(tx, user, 'mfa_disabled', ctx);
      });
      await endOtherSessions(deps.sessions, user.id, ctx, signOutOthers);
    },

    /** New codes; the old ones stop working at once. */
    async regenerateRecoveryCodes(user: User, ctx: RequestContext, signOutOthers: boolean): Promise<string[]> {
      if (!user.mfaEnabled) throw new NotFoundError('mfa.errors.notOn');
      const plain = await repos.transaction(async (tx) => {
        await notices.record(tx, user, 'recovery_codes_regenerated', ctx);
        return issueRecoveryCodes(tx, user.id);
      });
      await endOtherSessions(deps.sessions, user.id, ctx, signOutOthers);
      return plain;
    },

    /** Sign-in second step and step-up with the authenticator app. */
    verifyTotp: (user: User, code: string) => useTotpCode(user, code, 'code'),

    /** Sign-in with a recovery code: each works once. Returns how many are left. */
    async useRecoveryCode(user: User, input: string, ctx: RequestContext): Promise<number> {
      await limiter.consume(user.id);
      const set = await repos.authenticators.findRecoveryCodes(user.id);
      if (!set) throw ValidationError.field('recovery_code', 'mfa.errors.wrongRecoveryCode');
      for (const code of set.codes) {
        if (code.usedAt || !(await codes.matches(input, code.hash))) continue;
        return repos.transaction(async (tx) => {
          if (!(await tx.authenticators.useRecoveryCode(code.id, clock.now()))) throw ValidationError.field('recovery_code', 'mfa.errors.wrongRecoveryCode');
          await notices.record(tx, user, 'recovery_code_used', ctx);
          return set.codes.filter((c) => !c.usedAt && c.id !== code.id).length;
        });
      }
      throw ValidationError.field('recovery_code', 'mfa.errors.wrongRecoveryCode');
    },
  };
}

export type MfaService = ReturnType<typeof createMfaService>;
