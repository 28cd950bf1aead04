import { connectionProblem, postgresVersionProblem, redisVersionProblem } from '../../../src/infra/backend-checks';

describe('Start-up checks of the back-ends', () => {
  it('accepts PostgreSQL 13 and later, and names the version it refuses', () => {
    expect(postgresVersionProblem('130000', '13.0')).toBeUndefined();
    expect(postgresVersionProblem('170004', '17.4 (Debian 17.4-1.pgdg120+2)')).toBeUndefined();
    expect(postgresVersionProblem('120017', '12.17 (Ubuntu 12.17-1)')).toBe('version 12.17 is too old; PostgreSQL 13 or later is needed');
    expect(postgresVersionProblem('90624', '9.6.24')).toBe('version 9.6.24 is too old; PostgreSQL 13 or later is needed');
    expect(postgresVersionProblem('', '?')).toBe('version ? is too old; PostgreSQL 13 or later is needed');
  });

  it('reads redis_version from INFO server: 7.0 and later pass, older ones are named', () => {
    const info = (version: string) => `# Server\r\nredis_version:${version}\r\nredis_git_sha1:00000000\r\nredis_mode:standalone\r\n`;
    expect(redisVersionProblem(info('7.0.0'))).toBeUndefined();
    expect(redisVersionProblem(info('7.2.4'))).toBeUndefined();
    expect(redisVersionProblem(info('8.0.2'))).toBeUndefined();
    expect(redisVersionProblem(info('6.2.14'))).toBe('version 6.2.14 is too old; Redis 7.0 or later is needed (for EXPIRE NX and GT)');
    expect(redisVersionProblem(info('5.0.7'))).toBe('version 5.0.7 is too old; Redis 7.0 or later is needed (for EXPIRE NX and GT)');
    expect(redisVersionProblem('# Server\r\nredis_mode:standalone\r\n')).toBe('it did not report its version (no redis_version in INFO server); Redis 7.0 or later is needed');
  });

  it('puts a failed connection in words, never a stack', () => {
    expect(connectionProblem(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' }))).toBe('connection refused');
    expect(connectionProblem(Object.assign(new Error('getaddrinfo ENOTFOUND db'), { code: 'ENOTFOUND' }))).toBe('unknown host');
    expect(connectionProblem(Object.assign(new Error('password authentication failed for user "atrium"'), { code: '28P01' }))).toBe(
      'authentication failed (password authentication failed for user "atrium")',
    );
    expect(connectionProblem(new Error('WRONGPASS invalid username-password pair or user is disabled.'))).toBe('authentication failed (WRONGPASS invalid username-password pair or user is disabled.)');
    expect(connectionProblem(new Error('NOAUTH Authentication required.'))).toBe('authentication failed (NOAUTH Authentication required.)');
    expect(connectionProblem(new Error('Connection terminated due to connection timeout'))).toBe('no answer within 5 seconds');
    expect(connectionProblem(new Error('Connection terminated unexpectedly'))).toBe('the server closed the connection');
    expect(connectionProblem(Object.assign(new Error('database "x" does not exist\n    at parse (x.js:1:1)'), { code: '3D000' }))).toBe('database "x" does not exist');
  });
});
