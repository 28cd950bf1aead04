import type { Clock } from '../../infra/clock';
import { NotFoundError, ValidationError } from '../../http/errors';
import type { RequestContext } from '../../http/request-context';
import type { Links } from '../../infra/links';
import type { MailQueue } from '../../infra/mailer/mail-queue';
import type { Limiter } from '../../infra/rate-limit';
import { browserAndOs } from '../../infra/user-agent';
import type { BoundRepositories, Repositories } from '../../repositories';
import type { PasswordHasher } from '../password/password-hasher';
import { PASSWORD_LINK_PURPOSES, type PasswordChanges } from '../password/password-changes';
import type { PasswordPolicy } from '../password/password-policy';
import { recoveryAddressOf, type User } from '../users/user';
import type { ForgotPasswordInput, SetPasswordInput } from './auth.schemas';
import { TOKEN_PATTERN } from './auth.schemas';
import { hashSecretToken, newSecretToken } from './one-time-token';
import type { TokenPurpose } from './one-time-tokens.repository';

/** An emailed link that is unknown, used or expired: its own page, offering a new link. */
export class InvalidLinkError extends NotFoundError {
  override view = 'auth/invalid-link';

  constructor(kind: 'password' | 'verification' = 'password') {
    super('auth.invalidLink.message');
    this.viewLocals = { linkKind: kind };
  }
}

export interface PasswordResetDeps {
  repos: Repositories;
  hasher: PasswordHasher;
  policy: PasswordPolicy;
  changes: PasswordChanges;
  mail: MailQueue;
  links: Links;
  clock: Clock;
  tokenLifetimeMs: number;
  limiters: { ip: Limiter; address: Limiter };
}

export function createPasswordResetService({ repos, hasher, policy, changes, mail, links, clock, tokenLifetimeMs, limiters }: PasswordResetDeps) {
  const purposes: TokenPurpose[] = [...PASSWORD_LINK_PURPOSES];

  async function insertToken(tx: BoundRepositories, userId: string, purpose: TokenPurpose): Promise<string> {
    const { token, hash } = newSecretToken();
    const now = clock.now();
    await tx.oneTimeTokens.insert({ purpose, userId, tokenHash: hash, payload: {}, expiresAt: new Date(now.getTime() + tokenLifetimeMs), now });
    return token;
  }

  async function usableToken(token: string) {
    if (!TOKEN_PATTERN.test(token)) throw new InvalidLinkError();
    const found = await repos.oneTimeTokens.findUsable(purposes, hashSecretToken(token), clock.now());
    const user = found && (await repos.users.findById(found.userId));
    if (!found || !user) throw new InvalidLinkError();
    return { found, user };
  }

  return {
    /**
     * "Forgot password": the same answer whether or not the address has an account. Both
     * cases write to the outbox in one transaction (a reset link, or a note that there is
     * no account with this address), so they also take the same time; nothing is sent inline.
     */
    async requestReset(input: ForgotPasswordInput, ctx: RequestContext): Promise<void> {
      await limiters.ip.consume(ctx.ip);
      await limiters.address.consume(input.email.toLowerCase());
      const user = await repos.users.findByRecoveryAddress(input.email);
      const origin = { ip: ctx.ip, ...browserAndOs(ctx.userAgent) };
      await repos.transaction(async (tx) => {
        if (user) {
          const token = await insertToken(tx, user.id, 'password_reset');
          await mail.queue(tx.outbox, {
            to: recoveryAddressOf(user),
            template: 'password_reset',
            locale: user.language ?? ctx.locale,
            data: { firstName: user.firstName, link: links.resetPassword(token), hours: Math.round(tokenLifetimeMs / 3_600_000), ...origin },
          });
        } else {
          await mail.queue(tx.outbox, { to: input.email, template: 'password_reset_unknown', locale: ctx.locale, data: { signUpLink: links.signUp(), ...origin } });
        }
      });
    },

    /** A link for an account created by an operator: the person chooses their own password. */
    async issueSetPasswordToken(userId: string, tx: BoundRepositories = repos): Promise<string> {
      return insertToken(tx, userId, 'password_set');
    },

    /** Whose link this is, or InvalidLinkError when it is unknown, used or expired. */
    async accountForToken(token: string): Promise<User> {
      return (await usableToken(token)).user;
    },

    /**
     * Sets the new password through the one path every password change takes (links die,
     * the owner is told, every session ends). It does not sign anyone in.
     */
    async completeWithToken(token: string, input: SetPasswordInput, ctx: RequestContext): Promise<User> {
      const { found, user } = await usableToken(token);
      if (input.password !== input.password_confirm) {
        throw ValidationError.field('password_confirm', 'auth.setPassword.errors.passwordMismatch');
      }
      const problem = policy.check(input.password, { username: user.username, email: user.email, firstName: user.firstName, lastName: user.lastName });
      if (problem) throw new ValidationError({ password: problem });
      const passwordHash = await hasher.hash(input.password);
      await changes.apply(user, passwordHash, ctx, async (tx) => {
        if (!(await tx.oneTimeTokens.markUsed(found.id, clock.now()))) throw new InvalidLinkError();
      });
      return user;
    },
  };
}

export type PasswordResetService = ReturnType<typeof createPasswordResetService>;
