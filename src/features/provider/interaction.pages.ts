import type { Request, Response } from 'express';
import { errors } from 'oidc-provider';
import type { Clock } from '../../infra/clock';
import { BadRequestError } from '../../infra/errors';
import { page } from '../../http/pages';
import { contextOf } from '../../http/request-context';
import { renderPage } from '../../http/render';
import { URLS, pathTo } from '../../http/urls';
import { amrOf } from './provider-amr';
import { asIssuer, type ProviderHost } from './provider-host';
import { scopeDescriptions } from './provider-scopes';
import type { ConnectedAppsService } from './connected-apps.service';

type Details = Awaited<ReturnType<Awaited<ReturnType<ProviderHost['provider']>>['interactionDetails']>>;

/** Where Allow sends the person: the site's origin, or a native app's own address (its scheme has no origin). */
function whereTo(redirectUri: string): string {
  const url = new URL(redirectUri);
  return url.origin === 'null' ? `${url.protocol}${url.pathname}` : url.origin;
}

class InteractionExpiredError extends BadRequestError {
  constructor() {
    super('provider.errors.session_not_found', 'interaction_expired');
    this.titleKey = 'provider.errors.title';
  }
}

/**
 * The provider's sign-in and consent steps, as this service's own pages: an application
 * sends the person to /oidc/auth, the library hands the step to /interaction/:uid, and
 * these pages sign them in (the ordinary sign-in, two-step included), confirm a stale
 * sign-in (the re-authentication page), and ask "<App> wants to…" with Allow and Deny.
 */
export function createInteractionPages(deps: { host: ProviderHost; connectedApps: ConnectedAppsService; clock: Clock; baseUrl: URL }) {
  const here = (uid: string) => pathTo('interaction', { uid });

  /** The step under way, bound to this browser by the library's interaction cookie and to this URL. */
  const detailsOf = async (req: Request, res: Response) => {
    const provider = await deps.host.provider();
    asIssuer(req, deps.baseUrl);
    let details: Details;
    try {
      details = await provider.interactionDetails(req, res);
    } catch (error) {
      if (error instanceof errors.SessionNotFound) throw new InteractionExpiredError();
      throw error;
    }
    if (details.uid !== String(req.params.uid)) throw new InteractionExpiredError();
    return { provider, details };
  };

  /**
   * The library's answer is a redirect that ends at the application. A form post's
   * redirects are held to the page's CSP form-action, which names only this site, so the
   * way on is a page of its own that moves on by itself (and has a link, for whoever waits).
   */
  const continueTo = async (res: Response, url: string, key: string, app: string) => {
    await renderPage(res, 'provider/continue', { title: res.locals.t('provider.continue.title', { app }), url, key, app, refreshTo: url });
  };

  /** A consent answer keeps the sign-in submitted before it in the same request (prompt=login is satisfied once). */
  const finish = async (req: Request, res: Response, details: Details, result: Record<string, unknown>, key = 'provider.continue.lead') => {
    const provider = await deps.host.provider();
    asIssuer(req, deps.baseUrl);
    const client = await provider.Client.find(String(details.params.client_id));
    const url = await provider.interactionResult(req, res, result, { mergeWithLastSubmission: !('login' in result) });
    await continueTo(res, url, key, client?.clientName ?? String(details.params.client_id));
  };

  /** Whether the person must prove who they are again for this request (prompt=login, or a sign-in older than max_age). */
  const needsFreshSignIn = (req: Request, details: Details): boolean => {
    const lastAuthAt = req.session.lastAuthAt ?? 0;
    const mark = req.session.providerLogin;
    const confirmedSince = mark?.uid === details.uid && lastAuthAt > mark.before;
    if (confirmedSince) return false;
    const asked = String(details.params.prompt ?? '').split(' ');
    const maxAge = details.params.max_age === undefined ? undefined : Number(details.params.max_age);
    return asked.includes('login') || (maxAge !== undefined && deps.clock.now().getTime() - lastAuthAt > maxAge * 1000);
  };

  return {
    /** GET /interaction/:uid: signs the person in (or sends them to), or asks for their consent. */
    show: page(async (req, res) => {
      const { provider, details } = await detailsOf(req, res);
      const uid = details.uid;
      const user = req.user;
      if (details.prompt.name === 'login') {
        if (!user) {
          req.session.providerLogin = { uid, before: 0 };
          return res.redirect(303, `${URLS.signIn}?next=${encodeURIComponent(here(uid))}`);
        }
        const mark = req.session.providerLogin;
        if (mark?.uid === uid && mark.before > 0 && (req.session.lastAuthAt ?? 0) <= mark.before) {
          // Back from the re-authentication page without confirming (its Cancel): the application hears so.
          req.session.providerLogin = undefined;
          return finish(req, res, details, { error: 'access_denied', error_description: 'The person did not confirm their identity.' }, 'provider.continue.denied');
        }
        if (needsFreshSignIn(req, details)) {
          req.session.providerLogin = { uid, before: req.session.lastAuthAt ?? 0 };
          return res.redirect(303, `${URLS.reauth}?next=${encodeURIComponent(here(uid))}`);
        }
        req.session.providerLogin = undefined;
        const lastAuthAt = req.session.lastAuthAt ?? deps.clock.now().getTime();
        return finish(req, res, details, { login: { accountId: user.id, ts: Math.floor(lastAuthAt / 1000), amr: amrOf(req.session.authMethod), remember: true } });
      }
      if (!user || details.session?.accountId !== user.id) throw new InteractionExpiredError();
      const client = await provider.Client.find(String(details.params.client_id));
      if (!client) throw new InteractionExpiredError();
      const requested = String(details.params.scope ?? '').split(' ');
      await renderPage(res, 'provider/consent', {
        title: res.locals.t('provider.consent.title', { app: client.clientName ?? client.clientId }),
        app: client.clientName ?? client.clientId,
        uid,
        scopes: scopeDescriptions(requested),
        redirectOrigin: whereTo(String(details.params.redirect_uri)),
        account: { username: user.username, email: user.email },
      });
    }),

    /** POST /interaction/:uid/confirm: Allow; the grant is kept, so the application does not ask again until revoked. */
    allow: page(async (req, res) => {
      const { provider, details } = await detailsOf(req, res);
      const user = req.user;
      if (details.prompt.name !== 'consent' || !user || details.session?.accountId !== user.id) throw new InteractionExpiredError();
      const clientId = String(details.params.client_id);
      const grant = details.grantId ? await provider.Grant.find(details.grantId) : new provider.Grant({ accountId: user.id, clientId });
      if (!grant) throw new InteractionExpiredError();
      const missing = details.prompt.details as { missingOIDCScope?: string[]; missingOIDCClaims?: string[]; missingResourceScopes?: Record<string, string[]> };
      if (missing.missingOIDCScope) grant.addOIDCScope(missing.missingOIDCScope.join(' '));
      if (missing.missingOIDCClaims) grant.addOIDCClaims(missing.missingOIDCClaims);
      for (const [indicator, scopes] of Object.entries(missing.missingResourceScopes ?? {})) grant.addResourceScope(indicator, scopes.join(' '));
      const grantId = await grant.save();
      await deps.connectedApps.recordAllowed(user, clientId, contextOf(req, res));
      await finish(req, res, details, { consent: { grantId } });
    }),

    /** POST /interaction/:uid/abort: Deny; the application hears access_denied. */
    deny: page(async (req, res) => {
      const { details } = await detailsOf(req, res);
      await finish(req, res, details, { error: 'access_denied', error_description: 'The person declined the request.' }, 'provider.continue.denied');
    }),
  };
}
