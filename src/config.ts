import path from 'node:path';
import { z } from 'zod';

/**
 * Every setting the service reads, parsed once at start. A wrong value stops the start
 * with a message that names the variable; nothing else reads process.env.
 */

const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no', ''])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

const int = (min: number, max: number) => z.coerce.number().int().min(min).max(max);

const url = (protocols: string[]) =>
  z.string().refine((value) => {
    try {
      return protocols.includes(new URL(value).protocol);
    } catch {
      return false;
    }
  }, `must be a URL starting with ${protocols.map((p) => `${p}//`).join(' or ')}`);

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
  BASE_URL: url(['http:', 'https:']).optional(),
  PRODUCT_NAME: z.string().min(1).max(60).default('Atrium'),
  DATABASE_URL: url(['postgres:', 'postgresql:']).optional(),
  REDIS_URL: url(['redis:', 'rediss:']).optional(),
  REDIS_KEY_PREFIX: z.string().regex(/^[\w:.-]{1,40}$/).default('atrium:'),
  SMTP_URL: url(['smtp:', 'smtps:']).optional(),
  MAIL_FROM: z.string().min(3).max(200).default('Atrium <no-reply@localhost>'),
  DATA_DIR: z.string().min(1).default('./data'),
  SESSION_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  DATA_KEY: z.string().min(32, 'must be at least 32 characters').optional(),
  PROFILE_LOCKED: bool.default(false),
  REQUIRE_2FA: bool.default(false),
  WEB_CONCURRENCY: int(1, 64).default(1),
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
  ACTIVITY_RETENTION_DAYS: int(1, 3650).default(400),
  FAILED_MAIL_RETENTION_DAYS: int(1, 3650).default(30),
});

export type Env = z.input<typeof schema>;

export interface Config {
  env: 'development' | 'production' | 'test';
  port: number;
  baseUrl: URL;
  secure: boolean;
  productName: string;
  databaseUrl?: string;
  redisUrl?: string;
  redisKeyPrefix: string;
  smtpUrl?: string;
  mailFrom: string;
  dataDir: string;
  sessionSecret: string;
  dataKey: string;
  profileLocked: boolean;
  require2fa: boolean;
  webConcurrency: number;
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
  retention: { activityDays: number; failedMailDays: number };
}

/** How long a call to PostgreSQL or Redis may take before the request gets a 503. */
export interface BackendTimeouts {
  databaseConnectMs: number;
  databaseStatementMs: number;
  databaseAcquireMs: number;
  redisConnectMs: number;
  redisCommandMs: number;
}

export class ConfigError extends Error {}

export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const present = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = schema.safeParse(present);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => `  ${issue.path.join('.')}: ${issue.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  const production = e.NODE_ENV === 'production';
  const missing = production ? (['SESSION_SECRET', 'DATA_KEY'] as const).filter((name) => !e[name]) : [];
  if (missing.length > 0) {
    throw new ConfigError(`Invalid configuration:\n${missing.map((n) => `  ${n}: required when NODE_ENV=production`).join('\n')}`);
  }
  if (e.WEB_CONCURRENCY > 1 && !e.DATABASE_URL) {
    throw new ConfigError('Invalid configuration:\n  WEB_CONCURRENCY: more than one worker needs DATABASE_URL (the embedded database serves one process)');
  }
  const baseUrl = new URL(e.BASE_URL ?? `http://localhost:${e.PORT}`);
  return {
    env: e.NODE_ENV,
    port: e.PORT,
    baseUrl,
    secure: baseUrl.protocol === 'https:',
    productName: e.PRODUCT_NAME,
    databaseUrl: e.DATABASE_URL,
    redisUrl: e.REDIS_URL,
    redisKeyPrefix: e.REDIS_KEY_PREFIX,
    smtpUrl: e.SMTP_URL,
    mailFrom: e.MAIL_FROM,
    dataDir: path.resolve(e.DATA_DIR),
    sessionSecret: e.SESSION_SECRET ?? DEV_SECRET,
    dataKey: e.DATA_KEY ?? DEV_SECRET,
    profileLocked: e.PROFILE_LOCKED,
    require2fa: e.REQUIRE_2FA,
    webConcurrency: e.WEB_CONCURRENCY,
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
    retention: { activityDays: e.ACTIVITY_RETENTION_DAYS, failedMailDays: e.FAILED_MAIL_RETENTION_DAYS },
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
