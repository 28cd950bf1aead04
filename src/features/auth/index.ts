import { Router } from 'express';
import type { CoreDeps } from '../../core/feature-deps';
import type { UserIdentitiesRepository } from '../../core/identities/user-identities.repository';
import type { Feature } from '../../http/feature';
import { requireAnonymous, requireUser } from '../../http/middleware/require-user';
import { URLS } from '../../http/urls';
import type { MfaServices } from '../mfa';
import type { PasswordServices } from '../password';
import type { SessionsServices } from '../sessions';
import type { SignInCompletion } from '../sessions/sign-in-completion.pages';
import { createEmailVerificationPages } from './email-verification.pages';
import { createEmailVerificationService } from './email-verification.service';
import { createForgotPasswordPages } from './forgot-password.pages';
import { createPasswordResetService } from './password-reset.service';
import { createReauthPages } from './reauth.pages';
import { createReauthService } from './reauth.service';
import { createResetPasswordPages } from './reset-password.pages';
import { createSignInPages } from './sign-in.pages';
import { createSignInService } from './sign-in.service';
import { createSignOutPages } from './sign-out.pages';
import { createSignUpPages } from './sign-up.pages';
import { createSignUpService } from './sign-up.service';
import type { DirectoryService } from '../directory/directory.service';

type Deps = CoreDeps & {
  repos: Parameters<typeof createSignUpService>[0]['repos'] &
    Parameters<typeof createSignInService>[0]['repos'] &
    Parameters<typeof createPasswordResetService>[0]['repos'] &
    Parameters<typeof createEmailVerificationService>[0]['repos'] & { identities: UserIdentitiesRepository };
  password: PasswordServices;
  sessions: SessionsServices;
  mfa: MfaServices;
  complete: SignInCompletion;
  directory: DirectoryService;
};

/** Ways in and back in: sign-up, sign-in, sign-out, a forgotten password, email verification and re-authentication. */
export function createAuthFeature(deps: Deps) {
  const { config, clock, limits, links, mail, repos, complete } = deps;
  const { hasher, policy, credentials } = deps.password;
  const tokenLifetimeMs = config.resetTokenMs;
  const passwordReset = createPasswordResetService({
    repos,
    hasher,
    policy,
    changes: deps.password.passwordChanges,
    oneTimeLinks: deps.oneTimeLinks,
    mail,
    links,
    tokenLifetimeMs,
    limiters: { ip: deps.limiters(limits.resetIp), address: deps.limiters(limits.resetAddress) },
    background: deps.background,
    policies: deps.policies,
    directoryPasswordUrl: config.directory?.passwordChangeUrl,
  });
  const emailVerification = createEmailVerificationService({ repos, oneTimeLinks: deps.oneTimeLinks, mail, links, clock, tokenLifetimeMs, resendLimiter: deps.limiters(limits.verifyResend) });
  const signUp = createSignUpService({ repos, hasher, policy, clock, limiter: deps.limiters(limits.signUpIp), emailVerification, policies: deps.policies });
  const signIn = createSignInService({ repos, credentials, activity: deps.sessions.signInActivity, directory: deps.directory });
  const reauth = createReauthService({ credentials, mfa: deps.mfa.mfa, identities: repos.identities, providers: config.oidcProviders });

  const signUpPages = createSignUpPages({ signUp, complete, config });
  const signInPages = createSignInPages({ signIn, complete, clock, baseUrl: config.baseUrl });
  const signOutPages = createSignOutPages({ config, activity: deps.sessions.signInActivity });
  const resetPages = createResetPasswordPages({ passwordReset, passwordMinLength: config.passwordMinLength, config });
  const forgotPages = createForgotPasswordPages({ passwordReset, tokenHours: Math.round(tokenLifetimeMs / 3_600_000), directory: config.directory });
  const verifyPages = createEmailVerificationPages({ emailVerification });
  const reauthPages = createReauthPages({ reauth, passkeys: deps.mfa.passkeys, config, clock });
  const routes = Router();
  routes.get(URLS.signUp, requireAnonymous, signUpPages.show);
  routes.post(URLS.signUp, requireAnonymous, signUpPages.refuseWhenClosed, signUpPages.submit);
  routes.get(URLS.signIn, requireAnonymous, signInPages.show);
  routes.post(URLS.signIn, requireAnonymous, signInPages.submit);
  routes.post(URLS.signOut, signOutPages.submit);
  routes.get(URLS.forgotPassword, forgotPages.show);
  routes.post(URLS.forgotPassword, forgotPages.submit);
  routes.get(URLS.resetPassword, resetPages.show);
  routes.post(URLS.resetPassword, resetPages.submit);
  routes.post(URLS.verifyEmailResend, requireUser, verifyPages.resend);
  routes.get(URLS.verifyEmail, verifyPages.show);
  routes.post(URLS.verifyEmail, verifyPages.confirm);
  routes.get(URLS.reauth, requireUser, reauthPages.show);
  routes.post(URLS.reauth, requireUser, reauthPages.submit);
  routes.post(URLS.reauthDrop, requireUser, reauthPages.drop);
  routes.post(URLS.reauthPasskeyOptions, requireUser, reauthPages.passkeyOptions);
  routes.post(URLS.reauthPasskey, requireUser, reauthPages.passkeyVerify);

  return { services: { signUp, signIn, passwordReset, emailVerification, reauth }, routes } satisfies Feature;
}

export type AuthServices = ReturnType<typeof createAuthFeature>['services'];
