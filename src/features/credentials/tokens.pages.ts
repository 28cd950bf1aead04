import type { Request, Response } from 'express';
import type { Clock } from '../../infra/clock';
import { clientSummary } from '../../infra/user-agent';
import { formHandler } from '../../http/form';
import { takePendingForm } from '../../http/middleware/require-recent-auth';
import { renderPage } from '../../http/render';
import { contextOf } from '../../http/request-context';
import { flash } from '../../http/session';
import { profileFrame } from '../../http/profile-frame';
import { TOKEN_LIFETIMES, lastExpiryDay, type ApiTokensService, type NewTokenInput } from './api-tokens.service';
import { tokenFormSchema, type TokenFormInput } from './credentials.schemas';
import type { NewSecrets } from './new-secret';
import { page, signedInPage, signedInUser } from '../../http/pages';
import { URLS } from '../../http/urls';

const DAY = 86_400_000;
const isoDay = (date: Date) => date.toISOString().slice(0, 10);

/** The form's fields as the service names them. */
function tokenInput(form: TokenFormInput): NewTokenInput;
function tokenInput(form: Partial<TokenFormInput>): Partial<NewTokenInput>;
function tokenInput(form: Partial<TokenFormInput>): Partial<NewTokenInput> {
  return { name: form.name, scope: form.scope, expires: form.expires, expiresOn: form.expires_on, allowedIps: form.allowed_ips };
}

type ListedToken = Awaited<ReturnType<ApiTokensService['list']>>[number];

/**
 * The list people scan for what needs them: live tokens expiring soonest first (then the
 * most recently used), expired ones last, the most recently expired first.
 */
function tokenListOrder(now: Date) {
  const at = (date: Date | null) => date?.getTime() ?? 0;
  return (a: ListedToken, b: ListedToken): number => {
    const aExpired = at(a.expiresAt) <= now.getTime();
    const bExpired = at(b.expiresAt) <= now.getTime();
    if (aExpired !== bExpired) return aExpired ? 1 : -1;
    const byExpiry = aExpired ? at(b.expiresAt) - at(a.expiresAt) : at(a.expiresAt) - at(b.expiresAt);
    return byExpiry || at(b.lastUsedAt) - at(a.lastUsedAt);
  };
}

/** The Tokens tab: personal access tokens for the JSON API. */
export function createTokensPages(deps: { apiTokens: ApiTokensService; secrets: NewSecrets; clock: Clock }) {
  const locals = async (req: Request, res: Response) => {
    const now = deps.clock.now();
    const user = signedInUser(req);
    const tokens = await deps.apiTokens.list(user);
    return {
      ...profileFrame(req, res, deps.clock, 'tokens'),
      now,
      lifetimes: TOKEN_LIFETIMES,
      // The admin scope is offered to administrators only (and refused to anyone else).
      scopes: user.role === 'admin' ? ['read', 'write', 'admin'] : ['read', 'write'],
      dateMin: isoDay(new Date(now.getTime() + DAY)),
      dateMax: lastExpiryDay(now),
      tokens: [...tokens].sort(tokenListOrder(now)).map((token) => ({
        ...token,
        masked: deps.apiTokens.masked(token),
        expired: token.expiresAt.getTime() <= now.getTime(),
        expiresSoon: token.expiresAt.getTime() - now.getTime() < 7 * DAY,
        client: token.lastUsedAgent ? clientSummary(token.lastUsedAgent) : '',
      })),
    };
  };

  return {
    /** GET /profile/tokens: the tokens, a new secret once, and the form for another. */
    show: page(async (req, res) => {
      const created = deps.secrets.take(req, 'token');
      await renderPage(res, 'credentials/tokens', { ...(await locals(req, res)), created, values: takePendingForm(req, URLS.tokens), errors: {} });
    }),

    /** POST /profile/tokens: creates a token; its secret is shown on the next page only. */
    create: formHandler({
      view: 'credentials/tokens',
      schema: tokenFormSchema,
      keep: ['name', 'scope', 'expires', 'expires_on', 'allowed_ips'],
      rules: (valid, req) => deps.apiTokens.check(tokenInput(valid), signedInUser(req)),
      locals: async (req, res) => ({ ...(await locals(req, res)), created: undefined }),
      handle: async (req, res, input) => {
        const { token, secret } = await deps.apiTokens.create(signedInUser(req), tokenInput(input), contextOf(req, res));
        deps.secrets.remember(req, { kind: 'token', id: token.id, name: token.name, secret });
        res.redirect(303, URLS.tokens);
      },
    }),

    /** POST /profile/tokens/:id/regenerate: a new secret for the same token; the old one stops working at once. */
    regenerate: signedInPage(async (req, res, user, ctx) => {
      const { token, secret } = await deps.apiTokens.regenerate(user, String(req.params.id), ctx);
      deps.secrets.remember(req, { kind: 'token', id: token.id, name: token.name, secret });
      res.redirect(303, URLS.tokens);
    }),

    /** POST /profile/tokens/:id/revoke */
    revoke: signedInPage(async (req, res, user, ctx) => {
      await deps.apiTokens.revoke(user, String(req.params.id), ctx);
      flash(req, { type: 'success', key: 'tokens.revoked' });
      res.redirect(303, URLS.tokens);
    }),
  };
}
