import { redactUrl } from '../../../src/infra/logger';
import { captureLogs } from '../../helpers/log-capture';

describe('Logging without secrets', () => {
  it.each([
    ['/reset-password/abcDEF123_-xyz', '/reset-password/[redacted]'],
    ['/verify-email/tok/extra', '/verify-email/[redacted]/extra'],
    ['/login?next=%2Fprofile&token=secret', '/login'],
    ['/profile/account', '/profile/account'],
  ])('%s is logged as %s', (url, logged) => {
    expect(redactUrl(url)).toBe(logged);
  });

  it('censors passwords, tokens and cookies wherever they appear in a log object', () => {
    const { logger, text } = captureLogs();
    logger.info(
      { req: { headers: { cookie: 'sid=abc', authorization: 'Bearer pat_x' } }, body: { password: 'hunter22', current_password: 'old-one', token: 'tkn', _csrf: 'csrf-value' } },
      'x',
    );
    const line = text();
    expect(line).toContain('[redacted]');
    expect(line).not.toMatch(/sid=abc|pat_x|hunter22|old-one|tkn|csrf-value/);
  });
});
