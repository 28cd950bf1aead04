import type { Request, RequestHandler, Response } from 'express';
import type { Clock } from '../../infra/clock';
import { formHandler } from '../../http/form';
import { safeNext } from '../../http/paths';
import { renderPage } from '../../http/render';
import { contextOf } from '../../http/request-context';
import { flash } from '../../http/session';
import { parseInput } from '../../http/validate';
import type { SignInCompletion } from '../sessions/sign-in-completion.pages';
import type { User } from '../../core/users/user';
import { secondFactorSchema, webauthnResponseSchema } from './mfa.schemas';
import type { MfaService } from './mfa.service';
import { CHALLENGE_LIFETIME_MS, type PasskeysService } from './passkeys.service';
import { rememberChallenge, takeChallenge } from './webauthn-challenge';
import { page } from '../../http/pages';
import { URLS } from '../../http/urls';

/** The second step of a sign-in, and signing in with a passkey alone. */
export function createMfaSignInPages(deps: { mfa: MfaService; passkeys: PasskeysService; complete: SignInCompletion; clock: Clock; baseUrl: URL }) {
  const view = 'mfa/second-factor';

  /** Who is half-way in; a step left for more than five minutes starts over. */
  async function pendingUser(req: Request): Promise<User | undefined> {
    const pending = req.session.pendingSignIn;
    if (!pending || deps.clock.now().getTime() - pending.at > CHALLENGE_LIFETIME_MS) return undefined;
    return deps.mfa.pendingUser(pending.userId);
  }

  const restart = (req: Request, res: Response) => {
    delete req.session.pendingSignIn;
    flash(req, { type: 'info', key: 'mfa.signIn.startAgain' });
    res.redirect(303, URLS.signIn);
  };

  const locals = async (req: Request, res: Response) => {
    const user = (await pendingUser(req)) as User;
    const status = await deps.mfa.status(user);
    const useRecovery = req.query.method === 'recovery' || (req.body as Record<string, unknown> | undefined)?.recovery_code !== undefined || !status.totp;
    return { title: res.locals.t('mfa.signIn.title'), webauthn: true, status, useRecovery: useRecovery && status.recoveryCodesLeft > 0, onlyPasskey: !status.totp && status.recoveryCodesLeft === 0 };
  };

  /** The first step was a password, or an identity provider (`pendingSignIn.provider`): the method names both steps. */
  const finish = async (req: Request, res: Response, user: User, second: 'totp' | 'recovery_code' | 'passkey', notes: Parameters<SignInCompletion>[4] = []) => {
    // Checked again on the way out: a session may hold a `next` accepted by an older release.
    const next = safeNext(req.session.pendingSignIn?.next, deps.baseUrl);
    const provider = req.session.pendingSignIn?.provider;
    delete req.session.pendingSignIn;
    const method = provider ? (`oidc+${second}` as const) : second === 'recovery_code' ? 'recovery_code' : (`password+${second}` as const);
    await deps.complete(req, res, user.id, method, notes, provider ? { provider } : {});
    return next;
  };

  /**
   * Before the form is read: its page, shown again for a wrong value, is about the person
   * half-way in, so without one there is nothing to show but the way back to the start.
   */
  const signInUnderWay: RequestHandler = async (req, res, next) => {
    if (await pendingUser(req)) return next();
    restart(req, res);
  };

  return {
    /** GET /login/2fa: the code from the authenticator app, or a recovery code, or a passkey. */
    show: page(async (req, res) => {
      if (!(await pendingUser(req))) return restart(req, res);
      await renderPage(res, view, { ...(await locals(req, res)), values: {}, errors: {} });
    }),

    signInUnderWay,

    /** POST /login/2fa (after signInUnderWay): checks the code (used once) and only then starts the signed-in session. */
    submit: formHandler({
      view,
      schema: secondFactorSchema,
      keep: [],
      locals,
      handle: async (req, res, input) => {
        const user = await pendingUser(req);
        if (!user) return restart(req, res);
        const ctx = contextOf(req, res);
        if (input.recovery_code !== undefined) {
          const left = await deps.mfa.useRecoveryCode(user, input.recovery_code, ctx);
          const next = await finish(req, res, user, 'recovery_code', [{ type: left <= 3 ? 'warning' : 'info', key: 'mfa.signIn.recoveryCodesLeft', count: left }]);
          return res.redirect(303, left <= 3 ? URLS.security : next);
        }
        await deps.mfa.verifyTotp(user, input.code ?? '');
        res.redirect(303, await finish(req, res, user, 'totp'));
      },
    }),

    /** POST /login/2fa/passkey/options (JSON): a challenge for one of this person's passkeys. */
    secondFactorOptions: page(async (req, res) => {
      const user = await pendingUser(req);
      if (!user) return res.status(409).json({ error: { code: 'sign_in_expired', message: res.locals.t('mfa.signIn.startAgain') } });
      const options = await deps.passkeys.authenticationOptions(user);
      rememberChallenge(req, 'second-factor', options.challenge, deps.clock);
      res.json(options);
    }),

    /** POST /login/2fa/passkey (JSON): the passkey as second step. */
    secondFactorVerify: page(async (req, res) => {
      const user = await pendingUser(req);
      if (!user) return res.status(409).json({ error: { code: 'sign_in_expired', message: res.locals.t('mfa.signIn.startAgain') } });
      const input = parseInput(webauthnResponseSchema, req.body);
      await deps.passkeys.authenticate(input.response as never, takeChallenge(req, 'second-factor', deps.clock), contextOf(req, res).ip, user);
      res.json({ redirect: await finish(req, res, user, 'passkey') });
    }),

    /** POST /login/passkey/options (JSON): a challenge any of the browser's passkeys for this site can sign. */
    passkeyOptions: page(async (req, res) => {
      const options = await deps.passkeys.authenticationOptions();
      rememberChallenge(req, 'sign-in', options.challenge, deps.clock);
      res.json(options);
    }),

    /** POST /login/passkey (JSON): signs in with a passkey alone (possession and user verification). */
    passkeyVerify: page(async (req, res) => {
      const input = parseInput(webauthnResponseSchema, req.body);
      const user = await deps.passkeys.authenticate(input.response as never, takeChallenge(req, 'sign-in', deps.clock), contextOf(req, res).ip);
      if (user.lockedAt) return res.status(403).json({ error: { code: 'account_locked', message: res.locals.t('auth.signIn.errors.locked') } });
      await deps.complete(req, res, user.id, 'passkey');
      res.json({ redirect: safeNext(req.query.next, deps.baseUrl) });
    }),
  };
}
