import { Router } from 'express';
import type { CoreDeps } from '../../core/feature-deps';
import { OPERATIONS as OP, type Operation } from '../../core/operations';
import type { Feature } from '../../http/feature';
import { guardOperation } from '../../http/middleware/require-recent-auth';
import { requireUser } from '../../http/middleware/require-user';
import { uuidParam } from '../../http/middleware/uuid-param';
import { URLS } from '../../http/urls';
import { createDataCipher } from '../../infra/crypto/data-cipher';
import type { SignInCompletion } from '../sessions/sign-in-completion.pages';
import { createMfaSignInPages } from './mfa-sign-in.pages';
import { createMfaService } from './mfa.service';
import { createPasskeysService } from './passkeys.service';
import { createSecurityPages } from './security.pages';
import type { LocalTwoStep } from './local-two-step';
import { localTwoStepAllowed } from '../../infra/ldap/ldap-config';

type Deps = CoreDeps & { repos: Parameters<typeof createMfaService>[0]['repos'] & Parameters<typeof createPasskeysService>[0]['repos']; complete: SignInCompletion };

/** Two-step verification: the authenticator app, recovery codes, passkeys, the second sign-in step and the Security tab. */
export function createMfaFeature(deps: Deps) {
  const { config, clock, limits } = deps;
  const localTwoStep: LocalTwoStep = (user) => localTwoStepAllowed(config.directory, user);
  const mfa = createMfaService({
    repos: deps.repos,
    cipher: createDataCipher(config.dataKey, 'totp'),
    clock,
    notices: deps.notices,
    sessions: deps.sessionRegistry,
    limiter: deps.limiters(limits.secondFactorAccount),
    driftSteps: config.totpDriftSteps,
    bcryptCost: config.bcryptCost,
    localTwoStep,
  });
  const passkeys = createPasskeysService({
    repos: deps.repos,
    clock,
    notices: deps.notices,
    sessions: deps.sessionRegistry,
    claims: deps.claims,
    limiter: deps.limiters(limits.passkeyIp),
    baseUrl: config.baseUrl,
    productName: config.productName,
    bcryptCost: config.bcryptCost,
    localTwoStep,
  });

  const signIn = createMfaSignInPages({ mfa, passkeys, complete: deps.complete, clock, baseUrl: config.baseUrl });
  const security = createSecurityPages({ mfa, passkeys, cipher: createDataCipher(config.dataKey, 'session-secrets'), config, clock });
  const guard = (operation: Operation, returnTo: string = URLS.security) => guardOperation(operation, { clock, returnTo });
  const routes = Router();
  routes.param('id', uuidParam);
  routes.get(URLS.secondFactor, signIn.show);
  routes.post(URLS.secondFactor, signIn.signInUnderWay, signIn.submit);
  routes.post(URLS.secondFactorPasskeyOptions, signIn.secondFactorOptions);
  routes.post(URLS.secondFactorPasskey, signIn.secondFactorVerify);
  routes.post(URLS.signInPasskeyOptions, signIn.passkeyOptions);
  routes.post(URLS.signInPasskey, signIn.passkeyVerify);

  routes.get(URLS.security, requireUser, security.show);
  routes.get(URLS.totp, requireUser, guard(OP.setUpAuthenticatorApp, URLS.totp), security.showTotpSetup);
  routes.post(URLS.totp, requireUser, guard(OP.setUpAuthenticatorApp, URLS.totp), security.enableTotp);
  routes.post(URLS.totpDisable, requireUser, guard(OP.turnOffAuthenticatorApp), security.disableTotp);
  routes.post(URLS.recoveryCodes, requireUser, guard(OP.regenerateRecoveryCodes), security.regenerateCodes);
  routes.get(URLS.recoveryCodes, requireUser, security.showCodes);
  routes.get(URLS.recoveryCodesText, requireUser, security.downloadCodes);
  routes.post(URLS.recoveryCodesSaved, requireUser, security.acknowledgeCodes);
  routes.post(URLS.passkeyOptions, requireUser, guard(OP.addPasskey), security.passkeyOptions);
  routes.post(URLS.passkeys, requireUser, guard(OP.addPasskey), security.registerPasskey);
  routes.post(URLS.passkeyRename, requireUser, security.renamePasskey);
  routes.post(URLS.passkeyRemove, requireUser, guard(OP.removePasskey), security.removePasskey);

  return {
    services: { mfa, passkeys },
    routes,
    tabs: [{ id: 'security', path: URLS.security, labelKey: 'profile.tabs.security', group: 'security', icon: 'shield', order: 40, stepUp: true }],
  } satisfies Feature;
}

export type MfaServices = ReturnType<typeof createMfaFeature>['services'];
