import type { Express } from 'express';
import type { Deps } from './deps';
import { createAppearancePages } from './features/appearance/appearance.pages';
import { appearanceRoutes } from './features/appearance/appearance.routes';
import { authRoutes } from './features/auth/auth.routes';
import { createEmailVerificationPages } from './features/auth/email-verification.pages';
import { createForgotPasswordPages } from './features/auth/forgot-password.pages';
import { createResetPasswordPages } from './features/auth/reset-password.pages';
import { createSignInCompletion } from './features/sessions/sign-in-completion';
import { createSignInPages } from './features/auth/sign-in.pages';
import { createSignOutPages } from './features/auth/sign-out.pages';
import { createSignUpPages } from './features/auth/sign-up.pages';
import { homeRoutes } from './features/home/home.routes';
import { createMfaSignInPages } from './features/mfa/mfa-sign-in.pages';
import { mfaRoutes } from './features/mfa/mfa.routes';
import { createSecurityPages } from './features/mfa/security.pages';
import { createPasswordStrengthApi } from './features/password/password-strength.api';
import { createAccountPages } from './features/profile/account.pages';
import { createEmailLinkPages } from './features/profile/email-links.pages';
import { createPasswordPages } from './features/password/password.pages';
import { createPreferencesPages } from './features/appearance/preferences.pages';
import { profileRoutes } from './features/profile/profile.routes';
import { createReauthPages } from './features/auth/reauth.pages';
import { createSessionsPages } from './features/sessions/sessions.pages';
import { sessionsRoutes } from './features/sessions/sessions.routes';
import { createAccountDataPages } from './features/account/account-data.pages';
import { accountRoutes } from './features/account/account.routes';
import { createActivityPages } from './features/account/activity.pages';
import { createLockdownPages } from './features/account/lockdown.pages';
import { apiRoutes } from './features/api/api.routes';
import { credentialsApi } from './features/api/credentials.api';
import { openApiDocument } from './features/api/openapi';
import { profileApi } from './features/api/profile.api';
import { createAppPasswordsPages } from './features/credentials/app-passwords.pages';
import { credentialsRoutes } from './features/credentials/credentials.routes';
import { createNewSecrets } from './features/credentials/new-secret';
import { createSshKeysPages } from './features/credentials/ssh-keys.pages';
import { createTokensPages } from './features/credentials/tokens.pages';
import { cookieName } from './http/cookies';
import { apiAuth } from './features/api/api-auth';
import { createDataCipher } from './infra/crypto/data-cipher';
import type { Services } from './services';

/** Every feature's pages, built from the services and mounted; the one place URLs meet code. */
export function mountRoutes(app: Express, deps: Deps, s: Services): void {
  const { config, clock } = deps;
  const complete = createSignInCompletion({ config, clock, sessions: s.sessions, activity: s.signInActivity });
  const sessionSecrets = createDataCipher(config.dataKey, 'session-secrets');
  const secrets = createNewSecrets(sessionSecrets);

  app.use(homeRoutes());
  app.use(
    authRoutes({
      signUp: createSignUpPages({ signUp: s.signUp, complete, config }),
      signIn: createSignInPages({ signIn: s.signIn, complete, clock, baseUrl: config.baseUrl }),
      signOut: createSignOutPages({ config, activity: s.signInActivity }),
      resetPassword: createResetPasswordPages({ passwordReset: s.passwordReset, passwordMinLength: config.passwordMinLength, config }),
      forgotPassword: createForgotPasswordPages({ passwordReset: s.passwordReset, tokenHours: Math.round(config.resetTokenMs / 3_600_000) }),
      emailVerification: createEmailVerificationPages({ emailVerification: s.emailVerification }),
    }),
  );
  app.use(appearanceRoutes(createAppearancePages({ appearance: s.appearance, config })));
  app.post('/password/strength', createPasswordStrengthApi({ policy: s.policy, limiter: s.passwordStrengthLimiter }));
  app.use(
    sessionsRoutes(
      {
        reauth: createReauthPages({ reauth: s.reauth, passkeys: s.passkeys, config, clock }),
        sessions: createSessionsPages({ sessions: s.sessions, clock }),
      },
      clock,
    ),
  );
  app.use(
    mfaRoutes(
      {
        signIn: createMfaSignInPages({ mfa: s.mfa, passkeys: s.passkeys, repos: s.repos, complete, clock, baseUrl: config.baseUrl }),
        security: createSecurityPages({ mfa: s.mfa, passkeys: s.passkeys, cipher: sessionSecrets, config, clock }),
      },
      clock,
    ),
  );
  app.use(
    profileRoutes(
      {
        account: createAccountPages({ accountDetails: s.accountDetails, emailChange: s.emailChange, recoveryEmail: s.recoveryEmail, avatars: s.avatars, config, clock }),
        password: createPasswordPages({ passwordChange: s.passwordChange, clock, config }),
        preferences: createPreferencesPages({ appearance: s.appearance, activity: s.signInActivity, config, clock }),
        emailLinks: createEmailLinkPages({ emailChange: s.emailChange, recoveryEmail: s.recoveryEmail, config }),
      },
      clock,
    ),
  );
  app.use(
    credentialsRoutes(
      {
        tokens: createTokensPages({ apiTokens: s.apiTokens, secrets, clock }),
        appPasswords: createAppPasswordsPages({ appPasswords: s.appPasswords, secrets, clock }),
        sshKeys: createSshKeysPages({ sshKeys: s.sshKeys, clock }),
      },
      clock,
    ),
  );
  app.use(
    accountRoutes(
      {
        activity: createActivityPages({ activity: s.activity, clock }),
        data: createAccountDataPages({ dataExport: s.dataExport, accountDeletion: s.accountDeletion, config, clock }),
        lockdown: createLockdownPages({ lockdown: s.lockdown, config }),
      },
      clock,
    ),
  );
  const endpoints = [
    ...profileApi({ ...s, baseUrl: config.baseUrl }),
    ...credentialsApi({ ...s, clock }),
  ];
  app.use(
    apiRoutes({
      endpoints,
      auth: apiAuth({ access: s.apiAccess, ...s.apiLimiters }),
      clock,
      document: openApiDocument(endpoints, { productName: config.productName, baseUrl: config.baseUrl, sessionCookie: cookieName('sid', config) }),
    }),
  );
}
