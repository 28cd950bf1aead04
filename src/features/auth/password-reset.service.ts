import { ValidationError } from '../../http/errors';
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
import type { OneTimeLinks } from './one-time-links';
import type { TokenPurpose } from './one-time-tokens.repository';

export interface PasswordResetDeps {
  repos: Repositories;
  hasher: PasswordHasher;
  policy: PasswordPolicy;
  changes: PasswordChanges;
  oneTimeLinks: OneTimeLinks;
  mail: MailQueue;
  links: Links;
  tokenLifetimeMs: number;
  limiters: { ip: Limiter; address: Limiter };
}

export function createPasswordResetService({ repos, hasher, policy, changes, oneTimeLinks, mail, links, tokenLifetimeMs, limiters }: PasswordResetDeps) {
  const purposes: TokenPurpose[] = [...PASSWORD_LINK_PURPOSES];

  const issue = (tx: BoundRepositories, userId: string, purpose: TokenPurpose) => oneTimeLinks.issue(tx, { purpose, userId, lifetimeMs: tokenLifetimeMs });
  const open = (token: string) => oneTimeLinks.open(token, purposes, 'password');

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
          const token = await issue(tx, user.id, 'password_reset');
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
      return issue(tx, userId, 'password_set');
    },

    /** Whose link this is, or InvalidLinkError when it is unknown, used or expired. */
    async accountForToken(token: string): Promise<User> {
      return (await open(token)).user;
    },

    /**
     * Sets the new password through the one path every password change takes (links die,
     * the owner is told, every session ends). It does not sign anyone in.
     */
    async completeWithToken(token: string, input: SetPasswordInput, ctx: RequestContext): Promise<User> {
      const { token: found, user } = await open(token);
      if (input.password !== input.password_confirm) {
        throw ValidationError.field('password_confirm', 'auth.setPassword.errors.passwordMismatch');
      }
      const problem = policy.check(input.password, { username: user.username, email: user.email, firstName: user.firstName, lastName: user.lastName });
      if (problem) throw new ValidationError({ password: problem });
      const passwordHash = await hasher.hash(input.password);
      await changes.apply(user, passwordHash, ctx, (tx) => oneTimeLinks.spend(tx, found, 'password'));
      return user;
    },
  };
}

export type PasswordResetService = ReturnType<typeof createPasswordResetService>;
