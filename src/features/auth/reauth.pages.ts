import type { Request, Response } from 'express';
import type { Config } from '../../config';
import type { Clock } from '../../infra/clock';
import { formHandler, formPage } from '../../http/form';
import { safeNext } from '../../http/paths';
import { contextOf } from '../../http/request-context';
import { confirmIdentity, flash, rotateSession } from '../../http/session';
import { parseInput } from '../../http/validate';
import { webauthnResponseSchema } from '../mfa/mfa.schemas';
import type { PasskeysService } from '../mfa/passkeys.service';
import { rememberChallenge, takeChallenge } from '../mfa/webauthn-challenge';
import { reauthSchema } from './reauth.schemas';
import type { ReauthService } from './reauth.service';
import { page, signedInPage, signedInUser } from '../../http/pages';
import { URLS } from '../../http/urls';

export function createReauthPages(deps: { reauth: ReauthService; passkeys: PasskeysService; config: Config; clock: Clock }) {
  const nextOf = (req: Request) => safeNext((req.body as Record<string, unknown> | undefined)?.next ?? req.query.next, deps.config.baseUrl, URLS.profile);
  const view = 'auth/reauth';
  const locals = async (req: Request, res: Response) => ({
    title: res.locals.t('reauth.title'),
    next: nextOf(req),
    minutes: deps.config.reauthMs / 60_000,
    asks: await deps.reauth.requirements(signedInUser(req)),
    webauthn: true,
  });

  const elevate = (req: Request) => confirmIdentity(req, deps.clock, deps.config);

  return {
    /** GET /reauth: asks for the password (and second factor) before a sensitive change. */
    show: formPage({ view, locals }),

    /** POST /reauth: checks them, then back to where the person was. */
    submit: formHandler({
      view,
      schema: reauthSchema,
      keep: [],
      locals,
      handle: async (req, res, input) => {
        await deps.reauth.confirm(signedInUser(req), input, contextOf(req, res));
        await elevate(req);
        res.redirect(303, nextOf(req));
      },
    }),

    /** POST /reauth/passkey/options (JSON): a challenge for one of the person's passkeys. */
    passkeyOptions: signedInPage(async (req, res, user) => {
      const options = await deps.passkeys.authenticationOptions(user);
      rememberChallenge(req, 'reauth', options.challenge, deps.clock);
      res.json(options);
    }),

    /** POST /reauth/passkey (JSON): a passkey confirms identity on its own. */
    passkeyVerify: signedInPage(async (req, res, user, ctx) => {
      const input = parseInput(webauthnResponseSchema, req.body);
      await deps.passkeys.authenticate(input.response as never, takeChallenge(req, 'reauth', deps.clock), ctx.ip, user);
      await elevate(req);
      res.json({ redirect: nextOf(req) });
    }),

    /** POST /reauth/drop: ends the step-up window now. */
    drop: page(async (req, res) => {
      await rotateSession(req, { elevatedUntil: 0 });
      flash(req, { type: 'info', key: 'reauth.dropped' });
      res.redirect(303, nextOf(req));
    }),
  };
}
