import { ConfigError, defaultConfig, loadConfig } from '../../src/config';

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
  ])('refuses %j, naming the variable', (env, name) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(new RegExp(`${name}:`));
  });

  it('requires SESSION_SECRET and DATA_KEY in production', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(/SESSION_SECRET: required when NODE_ENV=production[\s\S]*DATA_KEY: required/);
    const secret = 'a'.repeat(40);
    expect(loadConfig({ NODE_ENV: 'production', SESSION_SECRET: secret, DATA_KEY: secret }).env).toBe('production');
  });

  it('refuses several workers on the embedded database', () => {
    expect(() => loadConfig({ WEB_CONCURRENCY: '4' })).toThrow(/WEB_CONCURRENCY/);
    expect(loadConfig({ WEB_CONCURRENCY: '4', DATABASE_URL: 'postgres://db/app' }).webConcurrency).toBe(4);
  });

  it('reads booleans, numbers and proxy settings', () => {
    const config = loadConfig({ PROFILE_LOCKED: 'true', REQUIRE_2FA: '1', TRUST_PROXY: '2', BASE_URL: 'https://accounts.example.com' });
    expect(config.profileLocked).toBe(true);
    expect(config.require2fa).toBe(true);
    expect(config.trustProxy).toBe(2);
    expect(config.secure).toBe(true);
    expect(loadConfig({ TRUST_PROXY: '10.0.0.0/8, loopback' }).trustProxy).toBe('10.0.0.0/8, loopback');
  });
});
