import type { Deps } from './deps';
import { createAdminUsersService } from './features/admin/admin-users.service';
import { createAppearanceService } from './features/appearance/appearance.service';
import { authLimits } from './core/rate-limits';
import { createCredentialCheck } from './features/password/credential-check';
import { createOneTimeLinks } from './core/one-time-links/one-time-links';
import { createEmailVerificationService } from './features/auth/email-verification.service';
import { createPasswordResetService } from './features/auth/password-reset.service';
import { createSignInService } from './features/auth/sign-in.service';
import { createSignUpService } from './features/auth/sign-up.service';
import { createPasswordChangeService } from './features/password/password-change.service';
import { createPasswordChanges } from './features/password/password-changes';
import { createPasswordHasher } from './features/password/password-hasher';
import { createPasswordPolicy } from './features/password/password-policy';
import { createAccountDetailsService } from './features/profile/account-details.service';
import { createAvatarService } from './features/profile/avatar.service';
import { createEmailChangeService } from './features/profile/email-change.service';
import { createRecoveryEmailService } from './features/profile/recovery-email.service';
import { createReauthService } from './features/auth/reauth.service';
import { createSessionsService } from './features/sessions/sessions.service';
import { createSecurityNotices } from './core/security/security-notices';
import { createMfaService } from './features/mfa/mfa.service';
import { createPasskeysService } from './features/mfa/passkeys.service';
import { createAccountDeletionService } from './features/account/account-deletion.service';
import { createActivityService } from './features/account/activity.service';
import { createDataExportService } from './features/account/data-export.service';
import { createLockdownService } from './features/account/lockdown.service';
import { createSignInActivity } from './features/sessions/sign-in-activity.service';
import { createApiAccessService } from './features/api/api-access.service';
import { createApiTokensService } from './features/credentials/api-tokens.service';
import { createAppPasswordsService } from './features/credentials/app-passwords.service';
import { createSshKeysService } from './features/credentials/ssh-keys.service';
import { createDataRetention } from './features/retention/data-retention.service';
import { createDataCipher } from './infra/crypto/data-cipher';
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
  const { profileLocked } = config;
  const credentials = createCredentialCheck({
    repos,
    hasher,
    limiters: {
      accountAndIp: deps.limiters(limits.signInAccountAndIp),
      accountAndDevice: deps.limiters(limits.signInAccountAndDevice),
      account: deps.limiters(limits.signInAccount),
      ip: deps.limiters(limits.signInIp),
    },
  });
  const mail = deps.mail.queue;
  const oneTimeLinks = createOneTimeLinks({ repos, clock });
  const notices = createSecurityNotices({ mail, links, clock, oneTimeLinks });
  const passwordChanges = createPasswordChanges({ repos, mail, sessions: deps.sessions, clock, links, notices, oneTimeLinks });
  const passwordReset = createPasswordResetService({
    repos,
    hasher,
    policy,
    changes: passwordChanges,
    oneTimeLinks,
    mail,
    links,
    tokenLifetimeMs: config.resetTokenMs,
    limiters: { ip: deps.limiters(limits.resetIp), address: deps.limiters(limits.resetAddress) },
    background: deps.background,
  });
  const mfa = createMfaService({
    repos,
    cipher: createDataCipher(config.dataKey, 'totp'),
    clock,
    notices,
    sessions: deps.sessions,
    limiter: deps.limiters(limits.secondFactorAccount),
    driftSteps: config.totpDriftSteps,
    bcryptCost: config.bcryptCost,
  });
  const passkeys = createPasskeysService({ repos, clock, notices, sessions: deps.sessions, claims: deps.claims, limiter: deps.limiters(limits.passkeyIp), baseUrl: config.baseUrl, productName: config.productName });
  const emailVerification = createEmailVerificationService({ repos, oneTimeLinks, mail, links, clock, tokenLifetimeMs: config.resetTokenMs, resendLimiter: deps.limiters(limits.verifyResend) });
  const signInActivity = createSignInActivity({ repos, notices, clock, background: deps.background });
  const sessions = createSessionsService({ registry: deps.sessions, repos, clock, config, notices });
  return {
    repos,
    hasher,
    policy,
    signUp: createSignUpService({ repos, hasher, policy, clock, limiter: deps.limiters(limits.signUpIp), emailVerification }),
    credentials,
    signIn: createSignInService({ repos, credentials, activity: signInActivity }),
    signInActivity,
    passwordReset,
    passwordChanges,
    emailVerification,
    appearance: createAppearanceService({ repos, clock }),
    reauth: createReauthService({ credentials, mfa, repos }),
    mfa,
    passkeys,
    sessions,
    passwordChange: createPasswordChangeService({ credentials, hasher, policy, changes: passwordChanges }),
    accountDetails: createAccountDetailsService({ repos, clock, profileLocked }),
    emailChange: createEmailChangeService({ repos, oneTimeLinks, mail, links, sessions: deps.sessions, clock, tokenLifetimeMs: config.resetTokenMs, profileLocked, notices }),
    recoveryEmail: createRecoveryEmailService({ repos, oneTimeLinks, mail, links, clock, tokenLifetimeMs: config.resetTokenMs, profileLocked, notices }),
    avatars: createAvatarService({ repos, clock, profileLocked, limiter: deps.limiters(limits.avatarAccount) }),
    passwordStrengthLimiter: deps.limiters(limits.passwordStrengthIp),
    adminUsers: createAdminUsersService({ repos, clock, passwordReset, notices, sessions: deps.sessions }),
    apiTokens: createApiTokensService({ repos, clock, notices, mail, links }),
    appPasswords: createAppPasswordsService({ repos, clock, notices }),
    sshKeys: createSshKeysService({ repos, clock, notices, authorizedKeysLimiter: deps.limiters(limits.authorizedKeysIp) }),
    apiAccess: createApiAccessService({ repos, clock, notices, credentials }),
    apiLimiters: { perClient: deps.limiters(limits.apiClient), perIp: deps.limiters(limits.apiIp) },
    accountDeletion: createAccountDeletionService({ repos, sessions: deps.sessions, mail, clock, reserveDays: config.deletedReserveDays }),
    activity: createActivityService({ repos }),
    dataExport: createDataExportService({ repos, sessions, clock, productName: config.productName }),
    lockdown: createLockdownService({ repos, oneTimeLinks, passwordReset, notices, sessions: deps.sessions, clock }),
    dataRetention: createDataRetention({ repos, clock, ...config.retention }),
  };
}

export type Services = ReturnType<typeof createServices>;
