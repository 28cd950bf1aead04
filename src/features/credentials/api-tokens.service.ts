import type { Clock } from '../../infra/clock';
import type { Links } from '../../http/links';
import type { MailQueue } from '../../infra/mailer/mail-queue';
import { formatWhen } from '../../infra/mailer/mail-dates';
import { NotFoundError, ValidationError, type FieldErrors, type Message } from '../../infra/errors';
import type { RequestContext } from '../../http/request-context';
import type { CredentialsRepository } from './credentials.repository';
import type { Repos } from '../../core/repos';
import type { NoticeTables, SecurityNotices } from '../../core/security/security-notices';
import type { User } from '../../core/users/user';
import type { ApiToken, Scope } from './credentials.repository';
import { AllowListError, parseAllowList } from './ip-allow-list';
import { TOKEN_PREFIX, newApiToken, secretDigest } from './secret-formats';

/** The tables this module reads and writes. */
type Tables = NoticeTables & { credentials: CredentialsRepository };

const DAY = 86_400_000;
const REMIND_BEFORE_MS = 7 * DAY;
export const TOKEN_LIFETIMES = ['7', '30', '90', '365', 'custom'] as const;
export type TokenLifetime = (typeof TOKEN_LIFETIMES)[number];
const MAX_LIFETIME_DAYS = 365;

const endOfDay = (isoDay: string) => new Date(`${isoDay}T23:59:59Z`);

/** The last date a new token may be valid until: 365 days after today (UTC), whatever the time of day. */
export function lastExpiryDay(now: Date): string {
  return new Date(now.getTime() + MAX_LIFETIME_DAYS * DAY).toISOString().slice(0, 10);
}

export interface NewTokenInput {
  name: string;
  scope: Scope;
  expires: TokenLifetime;
  /** yyyy-mm-dd, when `expires` is "custom". */
  expiresOn?: string;
  allowedIps?: string;
}

/** Personal access tokens: shown once, stored as a SHA-256 digest, always with an expiry. */
export function createApiTokensService(deps: { repos: Repos<Tables>; clock: Clock; notices: SecurityNotices; mail: MailQueue; links: Links }) {
  const { repos, clock } = deps;

  /** A date typed for "On a date": the end of that day (UTC), or why it cannot be one. */
  function chosenDay(expiresOn: string | undefined, now: Date): Date | Message {
    const date = expiresOn && /^\d{4}-\d{2}-\d{2}$/.test(expiresOn) ? endOfDay(expiresOn) : undefined;
    if (!date || Number.isNaN(date.getTime())) return { key: 'tokens.errors.dateInvalid' };
    if (date.getTime() <= now.getTime()) return { key: 'tokens.errors.datePast' };
    if (date.getTime() > endOfDay(lastExpiryDay(now)).getTime()) return { key: 'tokens.errors.dateTooFar' };
    return date;
  }

  function allowListProblem(text: string): Message | undefined {
    try {
      parseAllowList(text);
      return undefined;
    } catch (err) {
      if (!(err instanceof AllowListError)) throw err;
      return { key: 'tokens.errors.allowList', params: { entry: err.entry.slice(0, 60) } };
    }
  }

  /**
   * The rules that need no database, over whichever fields are valid: the admin scope
   * (administrators only), the expiry date and the allow-list.
   */
  function check(input: Partial<NewTokenInput>, owner: User): FieldErrors {
    const errors: FieldErrors = {};
    if (input.scope === 'admin' && owner.role !== 'admin') errors.scope = { key: 'tokens.errors.adminScope' };
    if (input.expires === 'custom') {
      const day = chosenDay(input.expiresOn, clock.now());
      if (!(day instanceof Date)) errors.expires_on = day;
    }
    const allowList = input.allowedIps === undefined ? undefined : allowListProblem(input.allowedIps);
    if (allowList) errors.allowed_ips = allowList;
    return errors;
  }

  /** When a checked input's token expires. */
  function expiryOf(input: NewTokenInput): Date {
    const now = clock.now();
    const day = input.expires === 'custom' ? chosenDay(input.expiresOn, now) : new Date(now.getTime() + Number(input.expires) * DAY);
    if (!(day instanceof Date)) throw new ValidationError({ expires_on: day });
    return day;
  }

  return {
    check,

    list: (user: User): Promise<ApiToken[]> => repos.credentials.listTokens(user.id),

    /** Creates a token; the secret is returned this once and never again. */
    async create(user: User, input: NewTokenInput, ctx: RequestContext): Promise<{ token: ApiToken; secret: string }> {
      ValidationError.throwIfAny(check(input, user));
      const expiresAt = expiryOf(input);
      const allowedIps = parseAllowList(input.allowedIps ?? '');
      const secret = newApiToken();
      const token = await repos.transaction(async (tx) => {
        const created = await tx.credentials.insertToken({ userId: user.id, name: input.name, hash: secretDigest(secret), lastFour: secret.slice(-4), scope: input.scope, allowedIps, expiresAt, now: clock.now() });
        await deps.notices.record(tx, user, 'token_created', ctx, { name: input.name });
        return created;
      });
      return { token, secret };
    },

    /** A new secret for the same name, scope, expiry and allow-list; the old secret stops working now. */
    async regenerate(user: User, id: string, ctx: RequestContext): Promise<{ token: ApiToken; secret: string }> {
      const token = await repos.credentials.findToken(user.id, id);
      if (!token) throw new NotFoundError('tokens.errors.notFound');
      const secret = newApiToken();
      await repos.transaction(async (tx) => {
        await tx.credentials.replaceTokenSecret(user.id, id, secretDigest(secret), secret.slice(-4));
        await deps.notices.record(tx, user, 'token_regenerated', ctx, { name: token.name });
      });
      return { token: { ...token, lastFour: secret.slice(-4) }, secret };
    },

    async revoke(user: User, id: string, ctx: RequestContext): Promise<void> {
      const token = await repos.credentials.findToken(user.id, id);
      if (!token) throw new NotFoundError('tokens.errors.notFound');
      await repos.transaction(async (tx) => {
        await tx.credentials.deleteToken(user.id, id);
        await deps.notices.record(tx, user, 'token_revoked', ctx, { name: token.name });
      });
    },

    masked: (token: ApiToken) => `${TOKEN_PREFIX}…${token.lastFour}`,

    /**
     * Queues one reminder per token that expires within a week (maintenance runs this
     * regularly). Marking and queueing share a transaction, so each token gets one mail
     * even with several processes sweeping at once. Returns how many were queued.
     */
    async remindExpiring(batch = 100): Promise<number> {
      const now = clock.now();
      const due = await repos.credentials.tokensToRemind(now, new Date(now.getTime() + REMIND_BEFORE_MS), batch);
      let queued = 0;
      for (const token of due) {
        const owner = await repos.users.findById(token.userId);
        if (!owner) continue;
        await repos.transaction(async (tx) => {
          if (!(await tx.credentials.markReminded(token.id, now))) return;
          const locale = owner.language ?? 'en';
          await deps.mail.queue(tx.outbox, { to: owner.email, template: 'token_expiring', locale, data: { firstName: owner.firstName, name: token.name, when: formatWhen(token.expiresAt, locale), link: deps.links.tokens() } });
          queued++;
        });
      }
      return queued;
    },
  };
}

export type ApiTokensService = ReturnType<typeof createApiTokensService>;
