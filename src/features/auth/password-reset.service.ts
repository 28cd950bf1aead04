import { ValidationError, type FieldErrors } from '../../infra/errors';
import type { RequestContext } from '../../http/request-context';
import type { Policies } from '../../core/policies/policies';
import type { Background } from '../../infra/background';
import type { Links } from '../../http/links';
import type { MailQueue } from '../../infra/mailer/mail-queue';
import type { Limiter } from '../../infra/rate-limit';
import { browserAndOs } from '../../infra/user-agent';
import type { OutboxRepository } from '../../infra/mailer/outbox.repository';
import type { Repos } from '../../core/repos';
import type { PasswordHasher } from '../password/password-hasher';
import { PASSWORD_LINK_PURPOSES, type PasswordChanges } from '../password/password-changes';
import { newPasswordErrors, type PasswordPolicy } from '../password/password-policy';
import { recoveryAddressOf, type User } from '../../core/users/user';
import type { ForgotPasswordInput, SetPasswordInput } from './auth.schemas';
import type { OneTimeLinkTables, OneTimeLinks } from '../../core/one-time-links/one-time-links';
import type { TokenPurpose } from '../../core/one-time-links/one-time-tokens.repository';

/** The tables this module reads and writes. */
type Tables = OneTimeLinkTables & { outbox: OutboxRepository };

export interface PasswordResetDeps {
  repos: Repos<Tables>;
  hasher: PasswordHasher;
  policy: PasswordPolicy;
  changes: PasswordChanges;
  oneTimeLinks: OneTimeLinks;
  mail: MailQueue;
  links: Links;
  tokenLifetimeMs: number;
  limiters: { ip: Limiter; address: Limiter };
  background: Background;
  policies: Policies;
  /** LDAP_PASSWORD_CHANGE_URL: where directory people change their password. */
  directoryPasswordUrl?: string;
}

export function createPasswordResetService({ repos, hasher, policy, changes, oneTimeLinks, mail, links, tokenLifetimeMs, limiters, background, policies, directoryPasswordUrl }: PasswordResetDeps) {
  const purposes: TokenPurpose[] = [...PASSWORD_LINK_PURPOSES];

  const issue = (tx: Tables, userId: string, purpose: TokenPurpose) => oneTimeLinks.issue(tx, { purpose, userId, lifetimeMs: tokenLifetimeMs });
  const open = (token: string) => oneTimeLinks.open(token, purposes, 'password');

  /**
   * A reset link to the account's recovery address (the primary one when there is none);
   * returns that address. A directory account's password is the directory's: it is told
   * where to change it instead, and no link that could set a password here exists.
   */
  async function mailResetLink(tx: Tables, user: User, ctx: RequestContext): Promise<string> {
    const origin = { ip: ctx.ip, ...browserAndOs(ctx.userAgent) };
    if (user.source === 'ldap') {
      await mail.queue(tx.outbox, { to: user.email, template: 'password_in_directory', locale: user.language ?? ctx.locale, data: { firstName: user.firstName, changeUrl: directoryPasswordUrl ?? null, ...origin } });
      return user.email;
    }
    const token = await issue(tx, user.id, 'password_reset');
    const to = recoveryAddressOf(user);
    await mail.queue(tx.outbox, {
      to,
      template: 'password_reset',
      locale: user.language ?? ctx.locale,
      data: { firstName: user.firstName, link: links.resetPassword(token), hours: Math.round(tokenLifetimeMs / 3_600_000), ...origin },
      expiringLink: { lifetimeMs: tokenLifetimeMs, renewLink: links.forgotPassword() },
    });
    return to;
  }

  /** The rules that need no database, over whichever fields are valid: the password policy and the confirmation. */
  function check(user: User, input: Partial<SetPasswordInput>): FieldErrors {
    const context = { username: user.username, email: user.email, firstName: user.firstName, lastName: user.lastName };
    return newPasswordErrors(policy, input, { context, mismatchKey: 'auth.setPassword.errors.passwordMismatch' });
  }

  return {
    mailResetLink,
    check,

    /**
     * "Forgot password": the same answer, in the same time, whether or not the address has
     * an account. Either case writes to the outbox in one transaction (a reset link, or a
     * note that there is no account with this address), after the answer has gone.
     */
    async requestReset(input: ForgotPasswordInput, ctx: RequestContext): Promise<void> {
      await limiters.ip.consume(ctx.ip);
      await limiters.address.consume(input.email.toLowerCase());
      const user = await repos.users.findByRecoveryAddress(input.email);
      // Written after the answer: a known address does a little more work (a token), and
      // waiting for it would let response times tell the two apart.
      background.run('password reset request', async () => {
        // The note to an unknown address offers creating an account only where people may
        // (the sign-up policy); read before the transaction, which may hold the only connection.
        const signUpLink = !user && (await policies.read('signup')).signup.value === 'open' ? links.signUp() : null;
        await repos.transaction(async (tx) => {
          if (user) await mailResetLink(tx, user, ctx);
          else await mail.queue(tx.outbox, { to: input.email, template: 'password_reset_unknown', locale: ctx.locale, data: { signUpLink, ip: ctx.ip, ...browserAndOs(ctx.userAgent) } });
        });
      });
    },

    /** A link for an account created by an operator: the person chooses their own password. */
    async issueSetPasswordToken(userId: string, tx: Tables = repos): Promise<string> {
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
      ValidationError.throwIfAny(check(user, input));
      const passwordHash = await hasher.hash(input.password);
      await changes.apply(user, passwordHash, ctx, 'link', (tx) => oneTimeLinks.spend(tx, found, 'password'));
      return user;
    },
  };
}

export type PasswordResetService = ReturnType<typeof createPasswordResetService>;
