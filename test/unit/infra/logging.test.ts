import express from 'express';
import { secretRoutesOf } from '../../../src/http/secret-routes';
import { captureLogs } from '../../helpers/log-capture';

/** Routes declared as the features declare them: nested routers, one mounted below a path. */
function appWithRoutes() {
  const app = express();
  const ok: express.RequestHandler = (_req, res) => {
    res.end();
  };
  const auth = express.Router();
  auth.get('/reset-password/:token', ok);
  auth.get('/verify-email/:token', ok);
  auth.post('/verify-email', ok);
  auth.get('/login', ok);
  auth.get('/profile/account', ok);
  auth.get('/profile/sessions/:id', ok);
  const below = express.Router();
  below.post('/links/:token/confirm', ok);
  app.use(auth);
  app.use('/teams/:team', below);
  return app;
}

describe('Logging without secrets', () => {
  it.each([
    ['/reset-password/abcDEF123_-xyz', '/reset-password/[redacted]'],
    ['/verify-email/tok/extra', '/verify-email/[redacted]/extra'],
    ['/login?next=%2Fprofile&token=secret', '/login'],
    ['/profile/account', '/profile/account'],
    ['/VERIFY-EMAIL/tok', '/VERIFY-EMAIL/[redacted]'],
    ['/verify-email', '/verify-email'],
    ['/profile/sessions/0f3a', '/profile/sessions/0f3a'],
    ['/teams/red/links/s3cr3t/confirm?x=1', '/teams/red/links/[redacted]/confirm'],
  ])('%s is logged as %s', (url, logged) => {
    expect(secretRoutesOf(appWithRoutes()).redact(url)).toBe(logged);
  });

  it('knows a route holds a secret from its :token parameter, not from its path', () => {
    const routes = secretRoutesOf(appWithRoutes());
    expect(routes.holdsSecret('/reset-password/abc')).toBe(true);
    expect(routes.holdsSecret('/teams/red/links/abc/confirm')).toBe(true);
    expect(routes.holdsSecret('/reset-password')).toBe(false);
    expect(routes.holdsSecret('/profile/sessions/0f3a')).toBe(false);
  });

  it('refuses a route whose path is a regular expression: its parameters could not be judged', () => {
    const app = appWithRoutes();
    app.get(/^\/legacy\/(.+)$/, (_req, res) => {
      res.end();
    });
    expect(() => secretRoutesOf(app).redact('/login')).toThrow(/Route paths must be strings/);
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
