import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import { defaultThreadPoolSize } from './infra/thread-pool';
import { redisNodeList, redisTopologyOf, sentinelMasterName, type RedisTopology } from './infra/redis-config';
import { readOidcProviders, type OidcProviderConfig } from './infra/oidc/oidc-providers-file';
import { directoryConfigOf, ldapEnvShape, type DirectoryConfig } from './infra/ldap/ldap-config';
import { bool, int } from './infra/env-values';
import { EMAIL_DOMAIN, EMAIL_DOMAINS_MAX, GRACE_DAYS_MAX, type PolicyValues, type TwoStepMode } from './core/policies/policy-values';

/**
 * Every setting the service reads, parsed once at start. A wrong value stops the start
 * with a message that names the variable; nothing else reads process.env.
 */

/** REQUIRE_2FA: a boolean as before (true: everyone), or who must have a second factor. */
const twoStepMode = z
  .enum(['true', 'false', '1', '0', 'yes', 'no', 'off', 'admins', 'everyone'], { error: 'must be true (everyone), false (nobody), admins or everyone' })
  .transform((v): TwoStepMode => (['true', '1', 'yes', 'everyone'].includes(v) ? 'everyone' : v === 'admins' ? 'admins' : 'off'));

const emailDomains = z
  .string()
  .transform((v) => v.split(',').map((d) => d.trim().toLowerCase()).filter(Boolean))
  .refine((list) => list.length <= EMAIL_DOMAINS_MAX && list.every((d) => EMAIL_DOMAIN.test(d)), `must be a comma-separated list of at most ${EMAIL_DOMAINS_MAX} domain names, like example.com,example.org`);

const parseUrl = (value: string): URL | undefined => (URL.canParse(value) ? new URL(value) : undefined);

/** Aborts on failure, so that the checks after it only see a URL (one line per setting). */
const url = (protocols: string[]) =>
  z.string().refine((value) => protocols.includes(parseUrl(value)?.protocol ?? ''), { message: `must be a URL starting with ${protocols.map((p) => `${p}//`).join(' or ')}`, abort: true });

/**
 * Links are built as new URL(path, BASE_URL), which drops any path of BASE_URL, and the
 * routes are served from the root: so BASE_URL names an origin and nothing more.
 */
const baseUrl = url(['http:', 'https:']).superRefine((value, ctx) => {
  const parsed = parseUrl(value) as URL;
  const problem =
    parsed.username || parsed.password
      ? 'must not have a user name or password'
      : parsed.pathname !== '/'
        ? `must not have a path (${parsed.pathname})`
        : parsed.search
          ? `must not have a query (${parsed.search})`
          : parsed.hash && `must not have a fragment (${parsed.hash})`;
  if (problem) ctx.addIssue(`${problem}: the service is served from the root of its host; give only the scheme, host and port, like https://accounts.example.com`);
});

const databaseUrl = url(['postgres:', 'postgresql:']).refine((value) => parseUrl(value)?.username, 'has no user name (postgres://USER:PASSWORD@HOST:5432/DATABASE)');

const MAIL_ADDRESS = String.raw`[^\s@<>()",;:\\[\]]+@[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?`;
const MAILBOX = new RegExp(String.raw`^(?:${MAIL_ADDRESS}|(?:(?:"[^"\r\n]*"|[^<>",@\r\n]+?)\s*)?<${MAIL_ADDRESS}>)$`);
const mailbox = z.string().regex(MAILBOX, 'must be an email address (no-reply@example.com) or a name and an address (Atrium <no-reply@example.com>)');

const PROXY_TOKEN = /^(loopback|linklocal|uniquelocal|[0-9a-fA-F.:]+(\/\d{1,3})?)$/;
const trustProxy = z
  .string()
  .refine(
    (v) => /^(false|true|\d{1,2})$/.test(v) || v.split(',').every((token) => PROXY_TOKEN.test(token.trim())),
    'must be false, true, a hop count, or a comma-separated list of addresses, subnets, loopback, linklocal, uniquelocal',
  )
  .transform((v): boolean | number | string => {
    if (v === 'false' || v === '') return false;
    if (v === 'true') return true;
    if (/^\d+$/.test(v)) return Number(v);
    return v;
  });

const DEV_SECRET = 'development-only-secret-do-not-use-in-production';

const schema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  PORT: int(0, 65535).default(3000),
  BASE_URL: baseUrl.optional(),
  PRODUCT_NAME: z.string().min(1).max(60).default('Atrium'),
  DATABASE_URL: databaseUrl.optional(),
  REDIS_URL: url(['redis:', 'rediss:']).optional(),
  REDIS_CLUSTER_NODES: redisNodeList.optional(),
  REDIS_SENTINELS: redisNodeList.optional(),
  REDIS_SENTINEL_NAME: sentinelMasterName.optional(),
  REDIS_KEY_PREFIX: z.string().regex(/^[\w:.-]{1,40}$/).default('atrium:'),
  SMTP_URL: url(['smtp:', 'smtps:']).optional(),
  MAIL_TRANSPORT: z.enum(['smtp', 'file'], { error: 'must be smtp or file' }).optional(),
  MAIL_FROM: mailbox.max(200).default('Atrium <no-reply@localhost>'),
  DATA_DIR: z.string().min(1).default('./data'),
  SESSION_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  DATA_KEY: z.string().min(32, 'must be at least 32 characters').optional(),
  // Policies: unset, the administrators decide them in the console (README, "Policies").
  PROFILE_LOCKED: bool.optional(),
  REQUIRE_2FA: twoStepMode.optional(),
  TWO_STEP_GRACE_DAYS: int(0, GRACE_DAYS_MAX).optional(),
  SIGNUP: z.enum(['open', 'closed'], { error: 'must be open or closed' }).optional(),
  SIGNUP_EMAIL_DOMAINS: emailDomains.optional(),
  WEB_CONCURRENCY: int(1, 64).default(1),
  /** libuv's thread pool (password hashing, file reads, DNS); by default one thread per core of a worker, plus one. */
  UV_THREADPOOL_SIZE: int(2, 1024).optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  TRUST_PROXY: trustProxy.default(false),
  BCRYPT_COST: int(4, 15).default(12),
  PASSWORD_MIN_LENGTH: int(8, 64).default(10),
  SESSION_IDLE_MINUTES: int(1, 24 * 60).default(30),
  SESSION_ABSOLUTE_HOURS: int(1, 24 * 30).default(12),
  ANONYMOUS_SESSION_MINUTES: int(5, 60).default(60),
  REAUTH_MINUTES: int(1, 60).default(10),
  RESET_TOKEN_HOURS: int(1, 72).default(24),
  MAX_SESSIONS_PER_USER: int(1, 1000).default(100),
  TOTP_DRIFT_STEPS: int(0, 2).default(0),
  DELETED_RESERVE_DAYS: int(0, 365).default(30),
  SIGNIN_FAILURES_PER_ACCOUNT_AND_IP: int(3, 100).default(10),
  SIGNIN_FAILURES_PER_ACCOUNT: int(10, 10000).default(100),
  SIGNIN_FAILURES_PER_IP: int(10, 100000).default(300),
  // Back-end timeouts and data retention (issue 12): a hung server costs seconds, old rows go.
  DATABASE_CONNECT_TIMEOUT_MS: int(100, 120_000).default(2000),
  DATABASE_STATEMENT_TIMEOUT_MS: int(100, 600_000).default(3000),
  DATABASE_ACQUIRE_TIMEOUT_MS: int(100, 120_000).default(4000),
  REDIS_CONNECT_TIMEOUT_MS: int(100, 120_000).default(2000),
  REDIS_COMMAND_TIMEOUT_MS: int(100, 120_000).default(2000),
  // Slow clients (issue 16): a client that has not sent its headers, or its whole request,
  // in time gets 408 and loses the connection, so trickled bytes cannot hold sockets.
  HTTP_HEADERS_TIMEOUT_MS: int(1000, 300_000).default(20_000),
  HTTP_REQUEST_TIMEOUT_MS: int(1000, 3_600_000).default(60_000),
  ACTIVITY_RETENTION_DAYS: int(1, 3650).default(400),
  FAILED_MAIL_RETENTION_DAYS: int(1, 3650).default(30),
  AUDIT_RETENTION_DAYS: int(1, 3650).default(365),
  /** A MaxMind GeoLite2-City or -Country .mmdb file: the Sessions tab shows each address's approximate place. */
  GEOIP_DB: z.string().min(1).optional(),
  /** A JSON list of OpenID providers people may sign in with (README, "Sign-in with other identity providers"). */
  OIDC_PROVIDERS_FILE: z.string().min(1).optional(),
  /** How long a call to an identity provider (discovery, keys, code exchange) may take. */
  OIDC_TIMEOUT_MS: int(500, 60_000).default(5000),
  ...ldapEnvShape,
});

export type Env = z.input<typeof schema>;

export interface Config {
  env: 'development' | 'production' | 'test';
  port: number;
  baseUrl: URL;
  secure: boolean;
  productName: string;
  databaseUrl?: string;
  /** REDIS_URL: the one Redis server, when that is the topology. */
  redisUrl?: string;
  /** The Redis in use, whichever way it is given; none: sessions and rate limits live in the database. */
  redis?: RedisTopology;
  redisKeyPrefix: string;
  smtpUrl?: string;
  /** smtp: through SMTP_URL; file: each message written under DATA_DIR/outbox. */
  mailTransport: 'smtp' | 'file';
  mailFrom: string;
  dataDir: string;
  sessionSecret: string;
  dataKey: string;
  /** The policies the environment sets; they win over the console's. */
  policies: Partial<PolicyValues>;
  webConcurrency: number;
  /** libuv's thread pool size in each worker; password hashes use all of it but one thread. */
  threadPoolSize: number;
  logLevel: string;
  trustProxy: boolean | number | string;
  bcryptCost: number;
  passwordMinLength: number;
  passwordMaxLength: number;
  sessionIdleMs: number;
  sessionAbsoluteMs: number;
  anonymousSessionMs: number;
  reauthMs: number;
  resetTokenMs: number;
  maxSessionsPerUser: number;
  totpDriftSteps: number;
  deletedReserveDays: number;
  signInLimits: { perAccountAndIp: number; perAccount: number; perIp: number };
  timeouts: BackendTimeouts;
  http: HttpTimeouts;
  retention: { activityDays: number; failedMailDays: number; auditDays: number };
  /** Absolute path of the GeoIP database, when one is configured. */
  geoipDb?: string;
  /** The identity providers of OIDC_PROVIDERS_FILE, checked; none when it is unset. */
  oidcProviders: OidcProviderConfig[];
  oidcTimeoutMs: number;
  /** The LDAP directory whose people sign in here; none when LDAP_URL is unset. */
  directory?: DirectoryConfig;
}

/** How long a call to PostgreSQL or Redis may take before the request gets a 503. */
export interface BackendTimeouts {
  databaseConnectMs: number;
  databaseStatementMs: number;
  databaseAcquireMs: number;
  redisConnectMs: number;
  redisCommandMs: number;
}

/** How long a client may take to send a request's headers, and the whole request. */
export interface HttpTimeouts {
  headersMs: number;
  requestMs: number;
  /** How often the server looks for connections past these timeouts. */
  checkIntervalMs: number;
}

/**
 * Node enforces the headers and request timeouts only when it sweeps its connections, by
 * default every 30 seconds, which would let a slow client keep a socket for the timeout
 * plus up to 30 s. Sweeping four times per headers timeout (at most every 5 s, at least
 * every 250 ms) bounds the overshoot to a quarter of it, for little work.
 */
function httpTimeouts(headersMs: number, requestMs: number): HttpTimeouts {
  return { headersMs, requestMs, checkIntervalMs: Math.min(5000, Math.max(250, Math.floor(headersMs / 4))) };
}

/**
 * A setting the service cannot start with: one line per problem, each starting with the
 * variable's name ("PORT: must be ..."). Servers and commands exit with EXIT_CONFIG.
 */
export class ConfigError extends Error {
  constructor(lines: string[]) {
    super(lines.join('\n'));
  }
}

/** sysexits' EX_CONFIG: the service cannot start as configured. */
export const EXIT_CONFIG = 78;

function unreadable(file: string): boolean {
  try {
    fs.accessSync(file, fs.constants.R_OK);
    return !fs.statSync(file).isFile();
  } catch {
    return true;
  }
}

function configuredPolicies(e: z.output<typeof schema>): Partial<PolicyValues> {
  const set = {
    two_step: e.REQUIRE_2FA,
    grace_days: e.TWO_STEP_GRACE_DAYS,
    profile_locked: e.PROFILE_LOCKED,
    signup: e.SIGNUP,
    signup_email_domains: e.SIGNUP_EMAIL_DOMAINS,
  };
  return Object.fromEntries(Object.entries(set).filter(([, value]) => value !== undefined));
}

export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const present = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = schema.safeParse(present);
  if (!parsed.success) throw new ConfigError(parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`));
  const e = parsed.data;
  const production = e.NODE_ENV === 'production';
  // Outside production mail goes to files unless SMTP_URL is set; production chooses files only explicitly.
  const mailTransport = e.MAIL_TRANSPORT ?? (e.SMTP_URL ? 'smtp' : production ? undefined : 'file');
  const oidc = readOidcProviders(e.OIDC_PROVIDERS_FILE, env);
  const redis = redisTopologyOf({ url: e.REDIS_URL, cluster: e.REDIS_CLUSTER_NODES, sentinels: e.REDIS_SENTINELS, masterName: e.REDIS_SENTINEL_NAME });
  const ldap = directoryConfigOf(e, production);
  const problems = [
    ...redis.problems,
    ...ldap.problems,
    ...oidc.problems,
    ...(production ? (['SESSION_SECRET', 'DATA_KEY'] as const).filter((name) => !e[name]).map((name) => `${name}: required when NODE_ENV=production`) : []),
    !mailTransport && 'SMTP_URL: required when NODE_ENV=production (or set MAIL_TRANSPORT=file to write mail as files under DATA_DIR/outbox)',
    mailTransport === 'smtp' && !e.SMTP_URL && 'SMTP_URL: required when MAIL_TRANSPORT=smtp',
    e.WEB_CONCURRENCY > 1 && !e.DATABASE_URL && 'WEB_CONCURRENCY: more than one worker needs DATABASE_URL (the embedded database serves one process)',
    // Node refuses a headers timeout longer than the request's: say so in the house's words.
    e.HTTP_HEADERS_TIMEOUT_MS > e.HTTP_REQUEST_TIMEOUT_MS && `HTTP_HEADERS_TIMEOUT_MS: must not be longer than HTTP_REQUEST_TIMEOUT_MS (${e.HTTP_REQUEST_TIMEOUT_MS}), which includes the headers`,
    e.GEOIP_DB !== undefined && unreadable(e.GEOIP_DB) && `GEOIP_DB: cannot read ${path.resolve(e.GEOIP_DB)} (a GeoLite2-City or -Country .mmdb file)`,
  ].filter((line): line is string => typeof line === 'string');
  if (problems.length > 0 || !mailTransport) throw new ConfigError(problems);
  const baseUrl = new URL(e.BASE_URL ?? `http://localhost:${e.PORT}`);
  return {
    env: e.NODE_ENV,
    port: e.PORT,
    baseUrl,
    secure: baseUrl.protocol === 'https:',
    productName: e.PRODUCT_NAME,
    databaseUrl: e.DATABASE_URL,
    redisUrl: e.REDIS_URL,
    redis: redis.topology,
    redisKeyPrefix: e.REDIS_KEY_PREFIX,
    smtpUrl: e.SMTP_URL,
    mailTransport,
    mailFrom: e.MAIL_FROM,
    dataDir: path.resolve(e.DATA_DIR),
    sessionSecret: e.SESSION_SECRET ?? DEV_SECRET,
    dataKey: e.DATA_KEY ?? DEV_SECRET,
    policies: configuredPolicies(e),
    webConcurrency: e.WEB_CONCURRENCY,
    threadPoolSize: e.UV_THREADPOOL_SIZE ?? defaultThreadPoolSize(os.availableParallelism(), e.WEB_CONCURRENCY),
    logLevel: e.LOG_LEVEL,
    trustProxy: e.TRUST_PROXY,
    bcryptCost: e.BCRYPT_COST,
    passwordMinLength: e.PASSWORD_MIN_LENGTH,
    passwordMaxLength: 256,
    sessionIdleMs: e.SESSION_IDLE_MINUTES * 60_000,
    sessionAbsoluteMs: e.SESSION_ABSOLUTE_HOURS * 3_600_000,
    anonymousSessionMs: e.ANONYMOUS_SESSION_MINUTES * 60_000,
    reauthMs: e.REAUTH_MINUTES * 60_000,
    resetTokenMs: e.RESET_TOKEN_HOURS * 3_600_000,
    maxSessionsPerUser: e.MAX_SESSIONS_PER_USER,
    totpDriftSteps: e.TOTP_DRIFT_STEPS,
    deletedReserveDays: e.DELETED_RESERVE_DAYS,
    signInLimits: {
      perAccountAndIp: e.SIGNIN_FAILURES_PER_ACCOUNT_AND_IP,
      perAccount: e.SIGNIN_FAILURES_PER_ACCOUNT,
      perIp: e.SIGNIN_FAILURES_PER_IP,
    },
    timeouts: {
      databaseConnectMs: e.DATABASE_CONNECT_TIMEOUT_MS,
      databaseStatementMs: e.DATABASE_STATEMENT_TIMEOUT_MS,
      databaseAcquireMs: e.DATABASE_ACQUIRE_TIMEOUT_MS,
      redisConnectMs: e.REDIS_CONNECT_TIMEOUT_MS,
      redisCommandMs: e.REDIS_COMMAND_TIMEOUT_MS,
    },
    http: httpTimeouts(e.HTTP_HEADERS_TIMEOUT_MS, e.HTTP_REQUEST_TIMEOUT_MS),
    retention: { activityDays: e.ACTIVITY_RETENTION_DAYS, failedMailDays: e.FAILED_MAIL_RETENTION_DAYS, auditDays: e.AUDIT_RETENTION_DAYS },
    geoipDb: e.GEOIP_DB === undefined ? undefined : path.resolve(e.GEOIP_DB),
    oidcProviders: oidc.providers,
    oidcTimeoutMs: e.OIDC_TIMEOUT_MS,
    directory: ldap.directory,
  };
}

/** The defaults, for documentation checks (SECURITY.md, README) and tests. */
export function defaultConfig(): Config {
  return loadConfig({});
}

/** Each variable's default as an operator would write it (README and SECURITY.md tables). */
export function defaultEnv(): Record<string, string | undefined> {
  const parsed = schema.parse({}) as Record<string, unknown>;
  return Object.fromEntries(Object.keys(schema.shape).map((name) => [name, parsed[name] === undefined ? undefined : String(parsed[name])]));
}
