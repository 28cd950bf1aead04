import os from 'node:os';
import path from 'node:path';
import { ConfigError, defaultConfig, defaultEnv, loadConfig } from '../../src/config';

const secrets = { SESSION_SECRET: 'a'.repeat(40), DATA_KEY: 'b'.repeat(40) };

/** The one line a refused setting gives (an error is expected). */
function refusal(env: Record<string, string>): string {
  try {
    loadConfig(env);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as Error).message;
  }
  throw new Error(`accepted ${JSON.stringify(env)}`);
}

describe('Configuration', () => {
  it('works with no settings at all (the embedded default)', () => {
    const config = defaultConfig();
    expect(config.port).toBe(3000);
    expect(config.baseUrl.href).toBe('http://localhost:3000/');
    expect(config.databaseUrl).toBeUndefined();
    expect(config.redisUrl).toBeUndefined();
    expect(config.sessionIdleMs).toBe(30 * 60_000);
    expect(config.sessionAbsoluteMs).toBe(12 * 3_600_000);
    expect(config.secure).toBe(false);
  });

  it.each([
    [{ PORT: 'eighty' }, 'PORT'],
    [{ DATABASE_URL: 'mysql://x' }, 'DATABASE_URL'],
    [{ REDIS_URL: 'http://x' }, 'REDIS_URL'],
    [{ BASE_URL: 'localhost:3000' }, 'BASE_URL'],
    [{ BCRYPT_COST: '40' }, 'BCRYPT_COST'],
    [{ PROFILE_LOCKED: 'maybe' }, 'PROFILE_LOCKED'],
    [{ SESSION_SECRET: 'short' }, 'SESSION_SECRET'],
    [{ TRUST_PROXY: 'everyone!' }, 'TRUST_PROXY'],
    [{ UV_THREADPOOL_SIZE: 'many' }, 'UV_THREADPOOL_SIZE'],
    [{ UV_THREADPOOL_SIZE: '1' }, 'UV_THREADPOOL_SIZE'],
  ])('refuses %j, naming the variable', (env, name) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(new RegExp(`${name}:`));
  });

  it('requires SESSION_SECRET and DATA_KEY in production', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(/SESSION_SECRET: required when NODE_ENV=production[\s\S]*DATA_KEY: required/);
    const secret = 'a'.repeat(40);
    expect(loadConfig({ NODE_ENV: 'production', SESSION_SECRET: secret, DATA_KEY: secret, SMTP_URL: 'smtp://mail.example.com:587' }).env).toBe('production');
  });

  it('refuses several workers on the embedded database', () => {
    expect(() => loadConfig({ WEB_CONCURRENCY: '4' })).toThrow(/WEB_CONCURRENCY/);
    expect(loadConfig({ WEB_CONCURRENCY: '4', DATABASE_URL: 'postgres://atrium@db/app' }).webConcurrency).toBe(4);
  });

  it('sizes the thread pool for the workers sharing the machine unless told', () => {
    expect(loadConfig({}).threadPoolSize).toBe(Math.max(1, os.availableParallelism()) + 1);
    expect(loadConfig({ UV_THREADPOOL_SIZE: '16' }).threadPoolSize).toBe(16);
  });

  it('reads booleans, numbers and proxy settings', () => {
    const config = loadConfig({ PROFILE_LOCKED: 'true', REQUIRE_2FA: '1', TRUST_PROXY: '2', BASE_URL: 'https://accounts.example.com' });
    expect(config.policies).toEqual({ profile_locked: true, two_step: 'everyone' });
    expect(config.trustProxy).toBe(2);
    expect(config.secure).toBe(true);
    expect(loadConfig({ TRUST_PROXY: '10.0.0.0/8, loopback' }).trustProxy).toBe('10.0.0.0/8, loopback');
  });

  it('leaves every policy to the console unless the environment sets it', () => {
    expect(loadConfig({}).policies).toEqual({});
    expect(loadConfig({ PROFILE_LOCKED: 'false', REQUIRE_2FA: 'admins', TWO_STEP_GRACE_DAYS: '14', SIGNUP: 'closed', SIGNUP_EMAIL_DOMAINS: ' Example.com,example.org ' }).policies).toEqual({
      profile_locked: false,
      two_step: 'admins',
      grace_days: 14,
      signup: 'closed',
      signup_email_domains: ['example.com', 'example.org'],
    });
    expect(loadConfig({ REQUIRE_2FA: 'false' }).policies).toEqual({ two_step: 'off' });
    expect(refusal({ REQUIRE_2FA: 'sometimes' })).toMatch(/^REQUIRE_2FA: must be true \(everyone\), false \(nobody\), admins or everyone/);
    expect(refusal({ SIGNUP: 'maybe' })).toMatch(/^SIGNUP: must be open or closed/);
    expect(refusal({ SIGNUP_EMAIL_DOMAINS: 'example.com,not a domain' })).toMatch(/^SIGNUP_EMAIL_DOMAINS: must be a comma-separated list/);
    expect(refusal({ TWO_STEP_GRACE_DAYS: '366' })).toMatch(/^TWO_STEP_GRACE_DAYS: must be a whole number/);
  });

  it.each(Object.entries(defaultEnv()).filter(([, value]) => /^\d+$/.test(value ?? '')).map(([name]) => name))('reads %s only as plain decimal digits', (name) => {
    for (const value of [' ', '0x10', '1e3', '+5', '5.0', '-1', '１２']) {
      expect(refusal({ [name]: value })).toMatch(new RegExp(`^${name}: must be a whole number written in decimal digits`));
    }
  });

  it('takes PORT as written, from 0 to 65535', () => {
    expect(loadConfig({ PORT: '0' }).port).toBe(0);
    expect(loadConfig({ PORT: '8080' }).port).toBe(8080);
    expect(refusal({ PORT: '65536' })).toBe('PORT: must be a whole number written in decimal digits, from 0 to 65535');
  });

  it('accepts MAIL_FROM as an address or a name and an address, and refuses the rest', () => {
    for (const from of ['no-reply@example.com', 'Atrium <no-reply@example.com>', '"Atrium, Inc." <no-reply@mail.example.com>', 'Atrium <no-reply@localhost>']) {
      expect(loadConfig({ MAIL_FROM: from }).mailFrom).toBe(from);
    }
    for (const from of ['Atrium', 'no-reply', 'Atrium <no-reply>', 'Atrium <no-reply@example.com', 'a@example.com, b@example.com', 'a@example.com\r\nBcc: x@example.com', '<>']) {
      expect(refusal({ MAIL_FROM: from })).toBe('MAIL_FROM: must be an email address (no-reply@example.com) or a name and an address (Atrium <no-reply@example.com>)');
    }
  });

  it('refuses a BASE_URL with a path, query, fragment or credentials, saying which', () => {
    expect(loadConfig({ BASE_URL: 'https://accounts.example.com' }).baseUrl.href).toBe('https://accounts.example.com/');
    expect(loadConfig({ BASE_URL: 'https://accounts.example.com:8443/' }).baseUrl.href).toBe('https://accounts.example.com:8443/');
    expect(refusal({ BASE_URL: 'https://example.com/accounts' })).toBe(
      'BASE_URL: must not have a path (/accounts): the service is served from the root of its host; give only the scheme, host and port, like https://accounts.example.com',
    );
    expect(refusal({ BASE_URL: 'https://example.com/?a=1' })).toMatch(/^BASE_URL: must not have a query \(\?a=1\)/);
    expect(refusal({ BASE_URL: 'https://example.com/#top' })).toMatch(/^BASE_URL: must not have a fragment \(#top\)/);
    expect(refusal({ BASE_URL: 'https://ada:secret@example.com' })).toMatch(/^BASE_URL: must not have a user name or password/);
    expect(refusal({ BASE_URL: 'https://ada:secret@example.com' })).not.toContain('secret');
  });

  it('refuses a DATABASE_URL without a user name', () => {
    expect(refusal({ DATABASE_URL: 'postgres://db.example.com:5432/atrium' })).toBe('DATABASE_URL: has no user name (postgres://USER:PASSWORD@HOST:5432/DATABASE)');
    expect(loadConfig({ DATABASE_URL: 'postgres://atrium@db.example.com/atrium' }).databaseUrl).toBe('postgres://atrium@db.example.com/atrium');
  });

  it('gives each refused setting one line that names it', () => {
    const bad: Record<string, string>[] = [{ PORT: ' ' }, { MAIL_FROM: 'nobody' }, { BASE_URL: 'https://example.com/x' }, { DATABASE_URL: 'postgres://h/db' }, { DATABASE_URL: 'mysql://x' }, { BASE_URL: 'localhost:3000' }, { PROFILE_LOCKED: 'maybe' }];
    for (const env of bad) {
      const message = refusal(env);
      expect(message.split('\n')).toHaveLength(1);
      expect(message.startsWith(`${Object.keys(env)[0]}: `)).toBe(true);
    }
  });

  it('cuts off slow clients after 20 s for the headers and 60 s for the whole request, sweeping often enough to keep to them', () => {
    expect(defaultConfig().http).toEqual({ headersMs: 20_000, requestMs: 60_000, checkIntervalMs: 5000 });
    expect(loadConfig({ HTTP_HEADERS_TIMEOUT_MS: '2000', HTTP_REQUEST_TIMEOUT_MS: '4000' }).http).toEqual({ headersMs: 2000, requestMs: 4000, checkIntervalMs: 500 });
    expect(loadConfig({ HTTP_HEADERS_TIMEOUT_MS: '1000', HTTP_REQUEST_TIMEOUT_MS: '1000' }).http.checkIntervalMs).toBe(250);
    expect(refusal({ HTTP_HEADERS_TIMEOUT_MS: '999' })).toBe('HTTP_HEADERS_TIMEOUT_MS: must be a whole number written in decimal digits, from 1000 to 300000');
    expect(refusal({ HTTP_REQUEST_TIMEOUT_MS: '20s' })).toBe('HTTP_REQUEST_TIMEOUT_MS: must be a whole number written in decimal digits, from 1000 to 3600000');
    expect(refusal({ HTTP_HEADERS_TIMEOUT_MS: '30000', HTTP_REQUEST_TIMEOUT_MS: '10000' })).toBe(
      'HTTP_HEADERS_TIMEOUT_MS: must not be longer than HTTP_REQUEST_TIMEOUT_MS (10000), which includes the headers',
    );
  });

  it('requires SMTP_URL in production unless MAIL_TRANSPORT=file is set', () => {
    expect(refusal({ NODE_ENV: 'production', ...secrets })).toBe(
      'SMTP_URL: required when NODE_ENV=production (or set MAIL_TRANSPORT=file to write mail as files under DATA_DIR/outbox)',
    );
    expect(loadConfig({ NODE_ENV: 'production', ...secrets, SMTP_URL: 'smtp://mail.example.com' }).mailTransport).toBe('smtp');
    expect(loadConfig({ NODE_ENV: 'production', ...secrets, MAIL_TRANSPORT: 'file' }).mailTransport).toBe('file');
  });

  it('derives MAIL_TRANSPORT from SMTP_URL outside production, and lets it be chosen', () => {
    expect(defaultConfig().mailTransport).toBe('file');
    expect(loadConfig({ SMTP_URL: 'smtp://127.0.0.1:2525' }).mailTransport).toBe('smtp');
    expect(loadConfig({ SMTP_URL: 'smtp://127.0.0.1:2525', MAIL_TRANSPORT: 'file' }).mailTransport).toBe('file');
    expect(refusal({ MAIL_TRANSPORT: 'smtp' })).toBe('SMTP_URL: required when MAIL_TRANSPORT=smtp');
    expect(refusal({ MAIL_TRANSPORT: 'pigeon' })).toMatch(/^MAIL_TRANSPORT: must be smtp or file/);
  });

  it('takes a Redis Cluster or sentinels as HOST:PORT lists or URLs, their credentials applying to every node', () => {
    expect(loadConfig({ REDIS_CLUSTER_NODES: '10.0.0.1:7000, 10.0.0.2:7000,[::1]:7001' }).redis).toEqual({
      kind: 'cluster',
      addresses: [
        { host: '10.0.0.1', port: 7000 },
        { host: '10.0.0.2', port: 7000 },
        { host: '::1', port: 7001 },
      ],
      username: undefined,
      password: undefined,
      tls: false,
    });
    expect(loadConfig({ REDIS_SENTINELS: 'rediss://app:s%40cret@sentinel-a:26379,rediss://app:s%40cret@sentinel-b' }).redis).toEqual({
      kind: 'sentinel',
      masterName: 'mymaster',
      addresses: [
        { host: 'sentinel-a', port: 26379 },
        { host: 'sentinel-b', port: 6379 },
      ],
      username: 'app',
      password: 's@cret',
      tls: true,
    });
    expect(loadConfig({ REDIS_SENTINELS: 'sentinel:26379', REDIS_SENTINEL_NAME: 'sessions-1' }).redis).toMatchObject({ kind: 'sentinel', masterName: 'sessions-1' });
    expect(loadConfig({ REDIS_URL: 'redis://cache:6379' }).redis).toEqual({ kind: 'server', url: 'redis://cache:6379' });
  });

  it.each([
    [{ REDIS_CLUSTER_NODES: 'cache' }, 'REDIS_CLUSTER_NODES: "cache" is neither HOST:PORT nor a redis:// or rediss:// URL'],
    [{ REDIS_CLUSTER_NODES: 'http://cache:6379' }, 'REDIS_CLUSTER_NODES: "http://cache:6379" is neither HOST:PORT nor a redis:// or rediss:// URL'],
    [{ REDIS_CLUSTER_NODES: 'a:1,,b:2' }, 'REDIS_CLUSTER_NODES: "" is neither HOST:PORT nor a redis:// or rediss:// URL'],
    [{ REDIS_SENTINELS: 'redis://s:26379/2' }, 'REDIS_SENTINELS: "redis://s:26379/2" must name a node only (no database number, query or fragment)'],
    [{ REDIS_CLUSTER_NODES: 'redis://:one@a:1,redis://:two@b:1' }, 'REDIS_CLUSTER_NODES: every entry must use the same scheme (redis:// or rediss://), user name and password: they apply to every node'],
    [{ REDIS_CLUSTER_NODES: 'rediss://a:1,b:1' }, 'REDIS_CLUSTER_NODES: every entry must use the same scheme (redis:// or rediss://), user name and password: they apply to every node'],
    [{ REDIS_URL: 'redis://a:1', REDIS_CLUSTER_NODES: 'a:1' }, 'REDIS_CLUSTER_NODES: cannot be combined with REDIS_URL (set REDIS_URL for one server, REDIS_CLUSTER_NODES for a cluster)'],
    [{ REDIS_URL: 'redis://a:1', REDIS_SENTINELS: 'a:26379' }, 'REDIS_SENTINELS: cannot be combined with REDIS_URL (set REDIS_URL for one server, REDIS_SENTINELS for a master found through sentinels)'],
    [{ REDIS_CLUSTER_NODES: 'a:1', REDIS_SENTINELS: 'a:26379' }, 'REDIS_SENTINELS: cannot be combined with REDIS_CLUSTER_NODES (a cluster finds its own masters)'],
    [{ REDIS_SENTINEL_NAME: 'mymaster' }, 'REDIS_SENTINEL_NAME: only used with REDIS_SENTINELS'],
    [{ REDIS_SENTINELS: 'a:26379', REDIS_SENTINEL_NAME: 'my master' }, 'REDIS_SENTINEL_NAME: must be the name the sentinels monitor the master under (letters, digits, _ . -)'],
  ])('refuses the Redis topology %j with one line saying why', (env, line) => {
    expect(refusal(env)).toBe(line);
  });

  it('takes GEOIP_DB as a readable file, and refuses to start with one it cannot read', () => {
    const database = path.join(__dirname, '../fixtures/geoip/places-test.mmdb');
    expect(loadConfig({ GEOIP_DB: database }).geoipDb).toBe(database);
    expect(defaultConfig().geoipDb).toBeUndefined();
    expect(refusal({ GEOIP_DB: '/nonexistent/GeoLite2-City.mmdb' })).toBe('GEOIP_DB: cannot read /nonexistent/GeoLite2-City.mmdb (a GeoLite2-City or -Country .mmdb file)');
    expect(refusal({ GEOIP_DB: __dirname })).toMatch(/^GEOIP_DB: cannot read /);
  });
});
