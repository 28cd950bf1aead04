import type { Config } from '../config';
import type { Links } from '../http/links';
import type { Background } from '../infra/background';
import type { Clock } from '../infra/clock';
import type { Places } from '../infra/geoip';
import type { MailQueue } from '../infra/mailer/mail-queue';
import type { LimiterFactory } from '../infra/rate-limit';
import type { SessionRegistry } from '../infra/session-store/session-registry';
import type { SingleUseClaims } from '../infra/single-use-claims';
import type { OneTimeLinks } from './one-time-links/one-time-links';
import type { Policies } from './policies/policies';
import type { rateLimits } from './rate-limits';
import type { SecurityNotices } from './security/security-notices';

/** What every feature is built from: the back-ends and the shared pieces of core/. */
export interface CoreDeps {
  config: Config;
  clock: Clock;
  limiters: LimiterFactory;
  /** Every rate limit's size, from the configuration (SECURITY.md lists them). */
  limits: ReturnType<typeof rateLimits>;
  mail: MailQueue;
  links: Links;
  /** Where sessions live (Redis or SQL): to end them, count them, list them. */
  sessionRegistry: SessionRegistry;
  claims: SingleUseClaims;
  background: Background;
  notices: SecurityNotices;
  oneTimeLinks: OneTimeLinks;
  /** Approximate places of addresses, where GEOIP_DB is configured. */
  places: Places;
  /** The administrators' policies in force (environment, console, default), read per use. */
  policies: Policies;
}
