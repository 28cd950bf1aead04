import path from 'node:path';
import express, { type Express } from 'express';
import session from 'express-session';
import type { Deps } from './deps';
import { assetVersion, staticAssets } from './http/assets';
import { readCookies } from './http/cookies';
import { csrfProtection } from './http/csrf';
import { exceptProtocolRequests, markProtocolRequests } from './http/protocol-requests';
import { expiredFormsOf } from './http/expired-forms';
import { readDevice } from './http/device';
import { errorHandler, notFound } from './http/error-handler';
import { rememberBaseUrl } from './http/paths';
import { pathTo } from './http/urls';
import { svgIcon } from './http/icon';
import { baseLocals, currentUser } from './http/middleware/locals';
import { requestLogger } from './http/middleware/request-logger';
import { securityHeaders } from './http/middleware/security-headers';
import { sessionOptions } from './http/session';
import { secretRoutesOf } from './http/secret-routes';
import { requireSecondFactor } from './http/middleware/require-second-factor';
import { sessionActivity } from './http/middleware/session-activity';
import { signUpOffer } from './http/middleware/sign-up-offer';
import { fromRoot } from './infra/project-root';
import { renderTemplate, TEMPLATES_DIR } from './infra/templates';
import { createFeatures, type Services } from './composition-root';
import type { Repositories } from './repositories';
import { rememberProfileTabs } from './http/profile-frame';

export interface App {
  app: Express;
  services: Services;
  repos: Repositories;
}

/** Builds the whole web application from its back-ends; the caller decides where it listens. */
export function createApp(deps: Deps): App {
  const { config, logger, clock, catalogues } = deps;
  const { features, services, repos, policies } = createFeatures(deps);
  const app = express();

  app.disable('x-powered-by');
  // Pages are no-store, so a validator is never used: computing one hashed every page.
  app.set('etag', false);
  app.set('trust proxy', config.trustProxy);
  const cache = config.env === 'production';
  app.engine('ejs', (file: string, data: object, done: (err: unknown, html?: string) => void) => {
    renderTemplate(file, data as Record<string, unknown>, { cache }).then((html) => done(null, html), done);
  });
  app.set('views', TEMPLATES_DIR);
  app.set('view engine', 'ejs');
  if (cache) app.set('view cache', true);
  const version = assetVersion(fromRoot('public'));
  app.locals.assetVersion = version;
  app.locals.path = pathTo;
  app.locals.svgIcon = svgIcon;
  // The sign-in, sign-up and re-authentication pages offer one button per identity provider.
  app.locals.identityProviders = config.oidcProviders.map(({ id, name }) => ({ id, name }));
  rememberBaseUrl(app, config.baseUrl);
  rememberProfileTabs(app, features.flatMap((feature) => feature.tabs ?? []));
  const secretRoutes = secretRoutesOf(app);

  app.use(requestLogger(logger, secretRoutes));
  app.use(securityHeaders(config, secretRoutes));
  app.use('/assets', staticAssets(fromRoot('public'), version));
  // The passkey ceremony's browser half, served from the installed package (no CDN, no bundler).
  const webauthnBrowser = path.join(path.dirname(require.resolve('@simplewebauthn/browser')), '..', 'dist', 'bundle', 'index.umd.min.js');
  app.get('/assets/vendor/simplewebauthn-browser.js', (_req, res) => {
    res.set('Cache-Control', 'public, max-age=86400').sendFile(webauthnBrowser);
  });
  for (const feature of features) if (feature.publicRoutes) app.use(feature.publicRoutes);
  const protocols = features.flatMap((feature) => (feature.protocol ? [feature.protocol] : []));
  app.use(markProtocolRequests((path) => protocols.some((protocol) => protocol.owns(path))));
  app.use(readCookies);
  app.use(readDevice(config));
  app.use(baseLocals({ config, catalogues }));
  app.use(exceptProtocolRequests(express.urlencoded({ extended: false, limit: '100kb', parameterLimit: 200 })));
  app.use(exceptProtocolRequests(express.json({ limit: '100kb' })));
  app.use(session(sessionOptions(config, deps.sessions)));
  app.use(sessionActivity({ config, clock, sessions: deps.sessions }));
  app.use(currentUser({ catalogues, users: repos.users }));
  app.use(requireSecondFactor(policies, clock));
  app.use(signUpOffer(policies));
  for (const feature of features) if (feature.uploadRoutes) app.use(feature.uploadRoutes);
  app.use(csrfProtection);
  for (const protocol of protocols) app.use(protocol.handler);
  for (const feature of features) if (feature.routes) app.use(feature.routes);

  for (const feature of features) if (feature.start) deps.background.run('feature start', feature.start);

  app.use(notFound);
  app.use(errorHandler(logger, catalogues, { baseUrl: config.baseUrl, secretRoutes, expiredForms: expiredFormsOf(app) }));
  return { app, services, repos };
}
