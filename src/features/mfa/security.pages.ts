import type { Request, Response } from 'express';
import type { Config } from '../../config';
import { localTwoStepAllowed } from '../../infra/ldap/ldap-config';
import type { Clock } from '../../infra/clock';
import type { DataCipher } from '../../infra/crypto/data-cipher';
import { formHandler } from '../../http/form';
import { renderPage } from '../../http/render';
import { contextOf } from '../../http/request-context';
import { flash } from '../../http/session';
import { parseInput } from '../../http/validate';
import { profileFrame } from '../../http/profile-frame';
import { acknowledgeCodesSchema, passkeyNameSchema, passkeyRegistrationSchema, signOutOthersSchema, totpCodeSchema } from './mfa.schemas';
import type { MfaService } from './mfa.service';
import type { PasskeysService } from './passkeys.service';
import { groupSecret, provisioning } from './totp';
import { rememberChallenge, takeChallenge } from './webauthn-challenge';
import { page, signedInPage, signedInUser } from '../../http/pages';
import { URLS } from '../../http/urls';


/** The Security tab: authenticator app, recovery codes and passkeys. */
export function createSecurityPages(deps: { mfa: MfaService; passkeys: PasskeysService; cipher: DataCipher; config: Config; clock: Clock }) {
  const t = (res: Response) => res.locals.t;

  const tabLocals = async (req: Request, res: Response) => ({
    ...profileFrame(req, res, deps.clock, 'security'),
    status: await deps.mfa.status(signedInUser(req)),
    passkeys: await deps.passkeys.list(signedInUser(req)),
    required: res.locals.twoStepDemand?.kind === 'required' && res.locals.twoStepDemand.now,
    twoStepHere: localTwoStepAllowed(deps.config.directory, signedInUser(req)),
    webauthn: true,
    // The passkey whose rename form was sent (and refused): its row shows what was typed.
    renamingId: req.params.id === undefined ? undefined : String(req.params.id),
  });

  const setupLocals = async (req: Request, res: Response) => {
    const { secret, sealed } = deps.mfa.beginTotpEnrolment(signedInUser(req), req.session.totpSetup);
    req.session.totpSetup = sealed;
    const { qrSvg } = await provisioning(secret, deps.config.productName, signedInUser(req).email);
    return { ...profileFrame(req, res, deps.clock, 'security'), qrSvg, groupedSecret: groupSecret(secret) };
  };

  /** New codes wait in the session, encrypted, until the person says they saved them. */
  const showCodes = (req: Request, res: Response, codes: string[]) => {
    req.session.newRecoveryCodes = deps.cipher.encrypt(JSON.stringify(codes));
    res.redirect(303, URLS.recoveryCodes);
  };
  const pendingCodes = (req: Request): string[] | undefined => (req.session.newRecoveryCodes ? (JSON.parse(deps.cipher.decrypt(req.session.newRecoveryCodes)) as string[]) : undefined);

  return {
    /** GET /profile/security: what protects the account, and how to change it. */
    show: page(async (req, res) => {
      if (req.session.newRecoveryCodes) return res.redirect(303, URLS.recoveryCodes);
      await renderPage(res, 'mfa/security', { ...(await tabLocals(req, res)), values: {}, errors: {} });
    }),

    /** GET /profile/security/totp: a QR code and the secret as text, to set up an authenticator app. */
    showTotpSetup: page(async (req, res) => {
      await renderPage(res, 'mfa/totp-setup', { ...(await setupLocals(req, res)), values: {}, errors: {} });
    }),

    /** POST /profile/security/totp: a current code proves the app is set up; 2FA goes on and recovery codes are shown. */
    enableTotp: formHandler({
      view: 'mfa/totp-setup',
      schema: totpCodeSchema,
      keep: [],
      locals: setupLocals,
      handle: async (req, res, input) => {
        const codes = await deps.mfa.enableTotp(signedInUser(req), req.session.totpSetup, input.code, contextOf(req, res), input.sign_out_others);
        delete req.session.totpSetup;
        flash(req, { type: 'success', key: 'mfa.totp.enabled' });
        showCodes(req, res, codes);
      },
    }),

    /** POST /profile/security/totp/disable: needs a current code. */
    disableTotp: formHandler({
      view: 'mfa/security',
      schema: totpCodeSchema,
      keep: [],
      locals: tabLocals,
      handle: async (req, res, input) => {
        await deps.mfa.disableTotp(signedInUser(req), input.code, contextOf(req, res), input.sign_out_others);
        flash(req, { type: 'success', key: 'mfa.totp.disabled' });
        res.redirect(303, URLS.security);
      },
    }),

    /** POST /profile/security/recovery-codes: new codes; the old ones stop working. */
    regenerateCodes: signedInPage(async (req, res, user, ctx) => {
      const input = parseInput(signOutOthersSchema, req.body);
      const codes = await deps.mfa.regenerateRecoveryCodes(user, ctx, input.sign_out_others);
      flash(req, { type: 'success', key: 'mfa.codes.regenerated' });
      showCodes(req, res, codes);
    }),

    /** GET /profile/security/recovery-codes: the new codes, once, with copy, download and print. */
    showCodes: page(async (req, res) => {
      const codes = pendingCodes(req);
      if (!codes) return res.redirect(303, URLS.security);
      await renderPage(res, 'mfa/recovery-codes', { ...profileFrame(req, res, deps.clock, 'security'), codes, values: {}, errors: {} });
    }),

    /** GET /profile/security/recovery-codes.txt: the same codes as a file. */
    downloadCodes: signedInPage((req, res, user) => {
      const codes = pendingCodes(req);
      if (!codes) return res.redirect(303, URLS.security);
      const text = [t(res)('mfa.codes.fileTitle', { product: deps.config.productName, username: user.username }), '', ...codes, '', t(res)('mfa.codes.fileNote')].join('\n');
      res.set('Content-Disposition', `attachment; filename="${deps.config.productName.toLowerCase().replace(/[^a-z0-9]+/g, '-')}-recovery-codes.txt"`).type('text/plain; charset=utf-8').send(`${text}\n`);
    }),

    /** POST /profile/security/recovery-codes/saved: the person has put the codes somewhere safe. */
    acknowledgeCodes: formHandler({
      view: 'mfa/recovery-codes',
      schema: acknowledgeCodesSchema,
      keep: [],
      locals: (req, res) => ({ ...profileFrame(req, res, deps.clock, 'security'), codes: pendingCodes(req) ?? [] }),
      handle: async (req, res) => {
        delete req.session.newRecoveryCodes;
        flash(req, { type: 'success', key: 'mfa.codes.saved' });
        res.redirect(303, URLS.security);
      },
    }),

    /** POST /profile/security/passkeys/options (JSON): what the browser needs to create a passkey. */
    passkeyOptions: signedInPage(async (req, res, user) => {
      const options = await deps.passkeys.registrationOptions(user);
      rememberChallenge(req, 'register', options.challenge, deps.clock);
      res.json(options);
    }),

    /** POST /profile/security/passkeys (JSON): stores the new passkey, maybe ends other sessions; first-time 2FA also gets recovery codes. */
    registerPasskey: signedInPage(async (req, res, user, ctx) => {
      const input = parseInput(passkeyRegistrationSchema, req.body);
      const { passkey, recoveryCodes } = await deps.passkeys.register(user, input.response as never, takeChallenge(req, 'register', deps.clock), ctx, { name: input.name, signOutOthers: input.sign_out_others });
      flash(req, { type: 'success', key: 'passkeys.added', params: { name: passkey.name } });
      if (recoveryCodes) req.session.newRecoveryCodes = deps.cipher.encrypt(JSON.stringify(recoveryCodes));
      res.json({ redirect: recoveryCodes ? URLS.recoveryCodes : URLS.security });
    }),

    /** POST /profile/security/passkeys/:id/rename */
    renamePasskey: formHandler({
      view: 'mfa/security',
      schema: passkeyNameSchema,
      keep: ['name'],
      locals: tabLocals,
      handle: async (req, res, input) => {
        await deps.passkeys.rename(signedInUser(req), String(req.params.id), input.name);
        flash(req, { type: 'success', key: 'passkeys.renamed', params: { name: input.name } });
        res.redirect(303, URLS.security);
      },
    }),

    /** POST /profile/security/passkeys/:id/remove: never the last way in; maybe ends other sessions. */
    removePasskey: signedInPage(async (req, res, user, ctx) => {
      const input = parseInput(signOutOthersSchema, req.body);
      await deps.passkeys.remove(user, String(req.params.id), ctx, input.sign_out_others);
      flash(req, { type: 'success', key: 'passkeys.removed' });
      res.redirect(303, URLS.security);
    }),
  };
}
