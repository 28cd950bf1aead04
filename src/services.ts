import type { Deps } from './deps';
import { createAdminUsersService } from './features/admin/admin-users.service';
import { createAppearanceService } from './features/appearance/appearance.service';
import { authLimits } from './features/auth/auth-limits';
import { createEmailVerificationService } from './features/auth/email-verification.service';
import { createPasswordResetService } from './features/auth/password-reset.service';
import { createSignInService } from './features/auth/sign-in.service';
import { createSignUpService } from './features/auth/sign-up.service';
import { createPasswordChanges } from './features/password/password-changes';
import { createPasswordHasher } from './features/password/password-hasher';
import { createPasswordPolicy } from './features/password/password-policy';
import { createRepositories } from './repositories';

/** Every use case, built once from the back-ends; the HTML pages and the API share them. */
export function createServices(deps: Deps) {
  const { config, clock } = deps;
  const repos = createRepositories(deps.db);
  const hasher = createPasswordHasher({ cost: config.bcryptCost });
  const policy = createPasswordPolicy({
    minLength: config.passwordMinLength,
    maxLength: config.passwordMaxLength,
    productName: config.productName,
    breached: deps.breached,
  });
  const limits = authLimits(config);
  const { links } = deps;
  const mail = deps.mail.queue;
  const passwordChanges = createPasswordChanges({ repos, mail, sessions: deps.sessions, clock, links });
  const passwordReset = createPasswordResetService({
    repos,
    hasher,
    policy,
    changes: passwordChanges,
    mail,
    links,
    clock,
    tokenLifetimeMs: config.resetTokenMs,
    limiters: { ip: deps.limiters(limits.resetIp), address: deps.limiters(limits.resetAddress) },
  });
  const emailVerification = createEmailVerificationService({ repos, mail, links, clock, tokenLifetimeMs: config.resetTokenMs, resendLimiter: deps.limiters(limits.verifyResend) });
  return {
    repos,
    hasher,
    policy,
    signUp: createSignUpService({ repos, hasher, policy, clock, limiter: deps.limiters(limits.signUpIp), emailVerification }),
    signIn: createSignInService({
      repos,
      hasher,
      clock,
      limiters: {
        accountAndIp: deps.limiters(limits.signInAccountAndIp),
        account: deps.limiters(limits.signInAccount),
        ip: deps.limiters(limits.signInIp),
      },
    }),
    passwordReset,
    passwordChanges,
    emailVerification,
    appearance: createAppearanceService({ repos, clock }),
    adminUsers: createAdminUsersService({ repos, clock, passwordReset }),
  };
}

export type Services = ReturnType<typeof createServices>;
