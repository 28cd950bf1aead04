import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import cookieParser from 'cookie-parser';
import express, { type Express } from 'express';
import session from 'express-session';
import type { Deps } from './deps';
import { createAppearancePages } from './features/appearance/appearance.pages';
import { appearanceRoutes } from './features/appearance/appearance.routes';
import { authRoutes } from './features/auth/auth.routes';
import { createEmailVerificationPages } from './features/auth/email-verification.pages';
import { createForgotPasswordPages } from './features/auth/forgot-password.pages';
import { createResetPasswordPages } from './features/auth/reset-password.pages';
import { createSignInPages } from './features/auth/sign-in.pages';
import { createSignOutPages } from './features/auth/sign-out.pages';
import { createSignUpPages } from './features/auth/sign-up.pages';
import { healthRoutes } from './features/health/health.routes';
import { homeRoutes } from './features/home/home.routes';
import { createPasswordStrengthApi } from './features/password/password-strength.api';
import { createAccountPages } from './features/profile/account.pages';
import { avatarFileRoutes } from './features/profile/avatar-files.routes';
import { createEmailLinkPages } from './features/profile/email-links.pages';
import { createPasswordPages } from './features/profile/password.pages';
import { createPreferencesPages } from './features/profile/preferences.pages';
import { profileRoutes } from './features/profile/profile.routes';
import { createReauthPages } from './features/sessions/reauth.pages';
import { createSessionsPages } from './features/sessions/sessions.pages';
import { sessionsRoutes } from './features/sessions/sessions.routes';
import { cookieName, cookieOptions } from './http/cookies';
import { csrfProtection } from './http/csrf';
import { errorHandler, notFound } from './http/error-handler';
import { baseLocals, currentUser } from './http/middleware/locals';
import { requestLogger } from './http/middleware/request-logger';
import { securityHeaders } from './http/middleware/security-headers';
import { sessionActivity } from './http/middleware/session-activity';
import { fromRoot } from './infra/project-root';
import { createServices, type Services } from './services';

/** A short digest of the static files, so their URLs change whenever they do. */
function assetVersion(dir: string): string {
  const hash = crypto.createHash('sha256');
  const walk = (folder: string) => {
    for (const entry of fs.readdirSync(folder, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const full = path.join(folder, entry.name);
      if (entry.isDirectory()) walk(full);
      else hash.update(entry.name).update(fs.readFileSync(full));
    }
  };
  walk(dir);
  return hash.digest('hex').slice(0, 10);
}

export interface App {
  app: Express;
  services: Services;
}

/** Builds the whole web application from its back-ends; the caller decides where it listens. */
export function createApp(deps: Deps): App {
  const { config, logger, clock, catalogues } = deps;
  const services = createServices(deps);
  const app = express();

  app.disable('x-powered-by');
  app.set('trust proxy', config.trustProxy);
  app.set('views', fromRoot('views'));
  app.set('view engine', 'ejs');
  if (config.env === 'production') app.set('view cache', true);
  app.locals.assetVersion = assetVersion(fromRoot('public'));

  app.use(requestLogger(logger));
  app.use(securityHeaders(config));
  app.use('/assets', express.static(fromRoot('public'), { maxAge: '365d', immutable: true, index: false, fallthrough: true }));
  app.use(healthRoutes(deps.readiness));
  app.use(avatarFileRoutes(services.avatars));
  app.use(cookieParser());
  app.use(baseLocals({ config, catalogues }));
  app.use(express.urlencoded({ extended: false, limit: '100kb', parameterLimit: 200 }));
  app.use(express.json({ limit: '100kb' }));
  app.use(
    session({
      name: cookieName('sid', config),
      secret: config.sessionSecret,
      store: deps.sessions,
      resave: false,
      saveUninitialized: false,
      rolling: true,
      unset: 'destroy',
      // Behind TLS termination, the proxy's X-Forwarded-Proto decides whether the cookie may be set.
      proxy: config.secure ? true : undefined,
      cookie: { ...cookieOptions(config), maxAge: config.anonymousSessionMs },
    }),
  );
  app.use(sessionActivity({ config, clock, sessions: deps.sessions }));
  app.use(currentUser({ catalogues, users: services.repos.users }));
  app.use(csrfProtection);

  app.use(homeRoutes());
  app.use(
    authRoutes({
      signUp: createSignUpPages({ signUp: services.signUp, sessions: services.sessions, config, clock }),
      signIn: createSignInPages({ signIn: services.signIn, sessions: services.sessions, config, clock }),
      signOut: createSignOutPages({ config }),
      resetPassword: createResetPasswordPages({ passwordReset: services.passwordReset, passwordMinLength: config.passwordMinLength }),
      forgotPassword: createForgotPasswordPages({ passwordReset: services.passwordReset, tokenHours: Math.round(config.resetTokenMs / 3_600_000) }),
      emailVerification: createEmailVerificationPages({ emailVerification: services.emailVerification }),
    }),
  );
  app.use(appearanceRoutes(createAppearancePages({ appearance: services.appearance, config })));
  app.post('/password/strength', createPasswordStrengthApi({ policy: services.policy, limiter: services.passwordStrengthLimiter }));
  app.use(sessionsRoutes({ reauth: createReauthPages({ reauth: services.reauth, config, clock }), sessions: createSessionsPages({ sessions: services.sessions, clock }) }, clock));
  app.use(
    profileRoutes(
      {
        account: createAccountPages({ ...services, config, clock }),
        password: createPasswordPages({ passwordChange: services.passwordChange, clock, config }),
        preferences: createPreferencesPages({ appearance: services.appearance, config, clock }),
        emailLinks: createEmailLinkPages({ emailChange: services.emailChange, recoveryEmail: services.recoveryEmail, config }),
      },
      clock,
    ),
  );

  app.use(notFound);
  app.use(errorHandler(logger, catalogues));
  return { app, services };
}
