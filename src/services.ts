import type { Deps } from './deps';
import { createAdminUsersService } from './features/admin/admin-users.service';
import { createAppearanceService } from './features/appearance/appearance.service';
import { authLimits } from './features/auth/auth-limits';
import { createPasswordResetService } from './features/auth/password-reset.service';
import { createSignInService } from './features/auth/sign-in.service';
import { createSignUpService } from './features/auth/sign-up.service';
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
  const passwordReset = createPasswordResetService({ repos, hasher, policy, sessions: deps.sessions, clock, tokenLifetimeMs: config.resetTokenMs });
  return {
    repos,
    hasher,
    policy,
    signUp: createSignUpService({ repos, hasher, policy, clock, limiter: deps.limiters(limits.signUpIp) }),
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
    appearance: createAppearanceService({ repos, clock }),
    adminUsers: createAdminUsersService({ repos, clock, passwordReset }),
  };
}

export type Services = ReturnType<typeof createServices>;
