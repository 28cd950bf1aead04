import type { Request, Response } from 'express';
import type { Config } from '../../config';
import type { Clock } from '../../infra/clock';
import { AppError, NotFoundError } from '../../infra/errors';
import { ProviderResponseError, ProviderUnavailableError, type OidcClient, type ProviderIdentity } from '../../infra/oidc/oidc-client';
import type { OidcProviderConfig } from '../../infra/oidc/oidc-providers-file';
import type { OidcFlow } from '../../infra/session-store/session-data';
import { page, signedInUser } from '../../http/pages';
import { safeNext } from '../../http/paths';
import { contextOf } from '../../http/request-context';
import { confirmIdentity, flash } from '../../http/session';
import { URLS, pathTo } from '../../http/urls';
import type { SignInCompletion } from '../sessions/sign-in-completion.pages';
import type { IdentitySignInService } from './identity-sign-in.service';

/** How long the provider's pages may take before the return is refused and the person starts again. */
export const FLOW_LIFETIME_MS = 10 * 60_000;

/** Where each kind of flow sends the person back with a message when it fails. */
const RETURN_TO: Record<OidcFlow['purpose'], string> = { 'sign-in': URLS.signIn, connect: URLS.connections, reauth: URLS.reauth };

/**
 * The redirect dance with a provider: the start (a form post, so it works without
 * JavaScript and cannot be triggered by a link) and the return. Every failure of the
 * return, from a refused consent to a forged state, ends on the page it started from with
 * a message saying what to do, never on an error page; the reason goes to the log.
 */
export function createIdentityFlowPages(deps: { oidc: OidcClient; identitySignIn: IdentitySignInService; complete: SignInCompletion; clock: Clock; config: Config }) {
  const providerOf = (req: Request): OidcProviderConfig => {
    const provider = deps.oidc.provider(String(req.params.provider ?? ''));
    if (!provider) throw new NotFoundError();
    return provider;
  };

  const nextOf = (req: Request, fallback?: string) => safeNext((req.body as Record<string, unknown> | undefined)?.next ?? req.query.next, deps.config.baseUrl, fallback);

  /** Remembers what the return must match (one flow at a time) and sends the browser to the provider. */
  const start = async (req: Request, res: Response, purpose: OidcFlow['purpose'], next: string) => {
    const provider = providerOf(req);
    try {
      const { url, checks } = await deps.oidc.begin(provider, { fresh: purpose === 'reauth' });
      req.session.oidcFlow = { provider: provider.id, purpose, ...checks, next, at: deps.clock.now().getTime(), userId: req.user?.id };
      res.redirect(303, url.href);
    } catch (error) {
      fail(req, res, provider, purpose, error);
    }
  };

  function fail(req: Request, res: Response, provider: OidcProviderConfig, purpose: OidcFlow['purpose'], error: unknown): void {
    const params = { provider: provider.name };
    if (error instanceof ProviderUnavailableError) {
      req.log.warn({ provider: provider.id, reason: error.message }, 'identity provider unavailable');
      flash(req, { type: 'error', key: 'identities.errors.unavailable', params });
    } else if (error instanceof ProviderResponseError) {
      req.log.warn({ provider: provider.id, reason: error.reason }, 'identity provider answer refused');
      flash(req, error.denied ? { type: 'info', key: 'identities.errors.denied', params } : { type: 'error', key: 'identities.errors.failed', params });
    } else if (error instanceof AppError && error.status < 500) {
      flash(req, { type: 'error', key: error.messageKey, params: error.params as Record<string, string> });
    } else {
      throw error;
    }
    res.redirect(303, RETURN_TO[purpose]);
  }

  /** The flow this return belongs to, taken from the session so its state, nonce and verifier serve once. */
  const takeFlow = (req: Request, provider: OidcProviderConfig): OidcFlow | undefined => {
    const flow = req.session.oidcFlow;
    delete req.session.oidcFlow;
    if (!flow || flow.provider !== provider.id || deps.clock.now().getTime() - flow.at > FLOW_LIFETIME_MS) return undefined;
    if (flow.purpose !== 'sign-in' && (!req.user || req.user.id !== flow.userId)) return undefined;
    if (flow.purpose === 'sign-in' && req.user) return undefined;
    return flow;
  };

  async function signIn(req: Request, res: Response, provider: OidcProviderConfig, identity: ProviderIdentity, flow: OidcFlow) {
    const outcome = await deps.identitySignIn.resolveSignIn(provider, identity);
    if (outcome.kind === 'sign-up') {
      req.session.oidcSignUp = { provider: provider.id, ...identity, next: flow.next, at: deps.clock.now().getTime() };
      return res.redirect(303, URLS.identitySignUp);
    }
    const { user } = outcome;
    if (user.mfaEnabled && !outcome.providerMfa) {
      req.session.pendingSignIn = { userId: user.id, at: deps.clock.now().getTime(), next: flow.next, provider: provider.id };
      return res.redirect(303, URLS.secondFactor);
    }
    await deps.complete(req, res, user.id, 'oidc', [], { provider: provider.id });
    res.redirect(303, flow.next);
  }

  return {
    /** POST /auth/oidc/:provider/start: sends a signed-out person to the provider to sign in (or sign up). */
    startSignIn: page((req, res) => start(req, res, 'sign-in', nextOf(req))),

    /** POST /profile/connections/:provider/connect: sends the signed-in person to the provider to connect an identity. */
    startConnect: page((req, res) => start(req, res, 'connect', URLS.connections)),

    /** POST /reauth/oidc/:provider: confirms the signed-in person's identity by a fresh sign-in at a connected provider. */
    startReauth: page((req, res) => start(req, res, 'reauth', nextOf(req, URLS.profile))),

    /** GET /auth/oidc/:provider/callback: the provider's answer, checked, then whatever the flow was for. */
    callback: page(async (req, res) => {
      const provider = providerOf(req);
      const flow = takeFlow(req, provider);
      if (!flow) {
        // Like an abandoned second step: back to the start (which sends a signed-in person home).
        flash(req, { type: 'info', key: 'identities.errors.startAgain', params: { provider: provider.name } });
        return res.redirect(303, URLS.signIn);
      }
      try {
        const identity = await deps.oidc.finish(provider, new URL(req.originalUrl, deps.config.baseUrl), flow, { fresh: flow.purpose === 'reauth' });
        if (flow.purpose === 'sign-in') return await signIn(req, res, provider, identity, flow);
        const user = signedInUser(req);
        if (flow.purpose === 'connect') {
          const result = await deps.identitySignIn.connect(user, provider, identity, contextOf(req, res));
          flash(req, { type: result === 'connected' ? 'success' : 'info', key: `identities.${result}`, params: { provider: provider.name } });
          return res.redirect(303, pathTo('connections'));
        }
        await deps.identitySignIn.reauthenticate(user, provider, identity);
        await confirmIdentity(req, deps.clock, deps.config);
        res.redirect(303, safeNext(flow.next, deps.config.baseUrl, URLS.profile));
      } catch (error) {
        fail(req, res, provider, flow.purpose, error);
      }
    }),
  };
}
