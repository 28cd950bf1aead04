import type { Deps } from './deps';
import { createAdminUsersService } from './features/admin/admin-users.service';
import { createAppearanceService } from './features/appearance/appearance.service';
import { createPasswordResetService } from './features/auth/password-reset.service';
import { createSignInService } from './features/auth/sign-in.service';
import { createSignUpService } from './features/auth/sign-up.service';
import { createPasswordHasher } from './features/password/password-hasher';
import { createPasswordPolicy } from './features/password/password-policy';
import { createRepositories } from './repositories';

const MINUTE = 60;
const HOUR = 3600;

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
  const limits = config.signInLimits;
  const passwordReset = createPasswordResetService({ repos, hasher, policy, sessions: deps.sessions, clock, tokenLifetimeMs: config.resetTokenMs });
  return {
    repos,
    hasher,
    policy,
    signUp: createSignUpService({ repos, hasher, policy, clock, limiter: deps.limiters({ name: 'signup-ip', points: 20, windowSeconds: HOUR }) }),
    signIn: createSignInService({
      repos,
      hasher,
      clock,
      limiters: {
        accountAndIp: deps.limiters({ name: 'signin-account-ip', points: limits.perAccountAndIp, windowSeconds: 15 * MINUTE }),
        account: deps.limiters({ name: 'signin-account', points: limits.perAccount, windowSeconds: HOUR }),
        ip: deps.limiters({ name: 'signin-ip', points: limits.perIp, windowSeconds: HOUR }),
      },
    }),
    passwordReset,
    appearance: createAppearanceService({ repos, clock }),
    adminUsers: createAdminUsersService({ repos, clock, passwordReset }),
  };
}

export type Services = ReturnType<typeof createServices>;
