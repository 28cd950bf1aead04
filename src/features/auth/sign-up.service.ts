import type { OneTimeLinkTables } from '../../core/one-time-links/one-time-links';
import type { OutboxRepository } from '../../infra/mailer/outbox.repository';
import type { Clock } from '../../infra/clock';
import { ValidationError, type FieldErrors } from '../../infra/errors';
import type { RequestContext } from '../../http/request-context';
import type { Limiter } from '../../infra/rate-limit';
import type { DeletedIdentitiesRepository } from '../../core/account-state/deleted-identities.repository';
import { identityErrors } from '../../core/account-state/identity-availability';
import type { Repos } from '../../core/repos';
import type { PasswordHasher } from '../password/password-hasher';
import { newPasswordErrors, type PasswordPolicy } from '../password/password-policy';
import type { User } from '../../core/users/user';
import { DuplicateUserError } from '../../core/users/users.repository';
import type { SignUpInput } from './auth.schemas';
import type { EmailVerificationService } from './email-verification.service';

/** The tables this module reads and writes. */
type Tables = OneTimeLinkTables & { deletedIdentities: DeletedIdentitiesRepository; outbox: OutboxRepository };

export interface SignUpDeps {
  repos: Repos<Tables>;
  hasher: PasswordHasher;
  policy: PasswordPolicy;
  clock: Clock;
  limiter: Limiter;
  emailVerification: EmailVerificationService;
}

export function createSignUpService({ repos, hasher, policy, clock, limiter, emailVerification }: SignUpDeps) {
  /** The rules that need no database, over whichever fields are valid: the password policy and the confirmation. */
  function check(input: Partial<SignUpInput>): FieldErrors {
    const context = { username: input.username, email: input.email, firstName: input.first_name, lastName: input.last_name };
    return newPasswordErrors(policy, input, { context, mismatchKey: 'auth.signUp.errors.passwordMismatch' });
  }

  return {
    check,

    /**
     * Creates a local account and queues the mail that verifies its address, in one
     * transaction; the unique indexes, not a prior lookup, settle races.
     */
    async signUp(input: SignUpInput, ctx: RequestContext): Promise<User> {
      await limiter.consume(ctx.ip);
      ValidationError.throwIfAny(check(input));
      // A deleted account's name and address stay taken for DELETED_RESERVE_DAYS, so nobody can pose as its owner.
      const now = clock.now();
      ValidationError.throwIfAny(await identityErrors(repos, input, now));
      const passwordHash = await hasher.hash(input.password);
      try {
        return await repos.transaction(async (tx) => {
          const user = await tx.users.insert({
            username: input.username,
            email: input.email,
            firstName: input.first_name,
            lastName: input.last_name,
            passwordHash,
            language: ctx.locale,
            theme: null,
            now,
          });
          await emailVerification.queueFor(tx, user);
          return user;
        });
      } catch (err) {
        if (err instanceof DuplicateUserError) {
          throw ValidationError.field(err.field, err.field === 'username' ? 'auth.signUp.errors.usernameTaken' : 'auth.signUp.errors.emailTaken');
        }
        throw err;
      }
    },
  };
}

export type SignUpService = ReturnType<typeof createSignUpService>;
