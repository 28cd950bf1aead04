import type { Request, RequestHandler, Response } from 'express';
import type { Config } from '../../config';
import type { Clock } from '../../infra/clock';
import type { OidcClient } from '../../infra/oidc/oidc-client';
import type { OidcSignUp } from '../../infra/session-store/session-data';
import { formHandler } from '../../http/form';
import { page } from '../../http/pages';
import { renderPage } from '../../http/render';
import { contextOf } from '../../http/request-context';
import { flash } from '../../http/session';
import { URLS } from '../../http/urls';
import type { SignInCompletion } from '../sessions/sign-in-completion.pages';
import { FLOW_LIFETIME_MS } from './identity-flow.pages';
import { identitySignUpSchema } from './identities.schemas';
import type { IdentitySignInService } from './identity-sign-in.service';

/**
 * The short confirmation before a first sign-in with a provider creates an account: names,
 * address and a username, prefilled from what the provider said, each open to change.
 */
export function createIdentitySignUpPages(deps: { oidc: OidcClient; identitySignIn: IdentitySignInService; complete: SignInCompletion; clock: Clock; config: Config }) {
  const view = 'identities/sign-up';

  /** The identity waiting for confirmation, if it is recent and its provider still configured. */
  const pendingOf = (req: Request): { pending: OidcSignUp; provider: NonNullable<ReturnType<OidcClient['provider']>> } | undefined => {
    const pending = req.session.oidcSignUp;
    const provider = pending && deps.oidc.provider(pending.provider);
    if (!pending || !provider || deps.clock.now().getTime() - pending.at > FLOW_LIFETIME_MS * 3) return undefined;
    return { pending, provider };
  };

  const startAgain = (req: Request, res: Response) => {
    delete req.session.oidcSignUp;
    flash(req, { type: 'info', key: 'identities.signUp.expired' });
    res.redirect(303, URLS.signIn);
  };

  const locals = (req: Request, res: Response) => {
    const found = pendingOf(req);
    return { title: res.locals.t('identities.signUp.title', { provider: found?.provider.name ?? '' }), provider: found?.provider.name ?? '', providerEmail: found?.pending.email ?? '' };
  };

  return {
    /**
     * Before the form is read: without an identity waiting (a stale tab, a signed-in person,
     * a forged post) there is nothing to confirm, so back to the start, as the second step does.
     */
    signUpUnderWay: ((req, res, next) => (pendingOf(req) ? next() : startAgain(req, res))) as RequestHandler,

    /** GET /auth/oidc/signup: the new account's details, prefilled from the provider's claims. */
    show: page(async (req, res) => {
      const { pending } = pendingOf(req) as NonNullable<ReturnType<typeof pendingOf>>;
      const values = {
        first_name: pending.givenName ?? pending.name?.split(' ')[0] ?? '',
        last_name: pending.familyName ?? '',
        email: pending.email ?? '',
        username: await deps.identitySignIn.suggestUsername(pending),
      };
      await renderPage(res, view, { ...locals(req, res), values, errors: {} });
    }),

    /** POST /auth/oidc/signup: creates the account, connected to the identity, and signs the person in. */
    submit: formHandler({
      view,
      schema: identitySignUpSchema,
      keep: ['first_name', 'last_name', 'email', 'username'],
      locals,
      handle: async (req, res, input) => {
        const found = pendingOf(req) as NonNullable<ReturnType<typeof pendingOf>>;
        const user = await deps.identitySignIn.confirmSignUp(found.provider, found.pending, input, contextOf(req, res));
        const next = found.pending.next;
        delete req.session.oidcSignUp;
        const welcome = user.emailVerifiedAt ? [] : [{ type: 'info' as const, key: 'identities.signUp.verifyEmail', params: { email: user.email } }];
        await deps.complete(req, res, user.id, 'oidc', welcome, { firstDevice: true, provider: found.provider.id });
        res.redirect(303, next);
      },
    }),

  };
}
