import type { RequestHandler } from 'express';
import type { Limiter } from '../../infra/rate-limit';
import { clientIp } from '../../http/request-context';
import { parseInput } from '../../http/validate';
import { strengthSchema } from './password.schemas';
import type { PasswordPolicy } from './password-policy';

const LABELS = ['password.strength.veryWeak', 'password.strength.weak', 'password.strength.fair', 'password.strength.good', 'password.strength.strong'];

/**
 * POST /password/strength: the live hint beside new-password fields. The server decides,
 * with the same policy the form applies, so the hint never promises what the form refuses.
 */
export function createPasswordStrengthApi(deps: { policy: PasswordPolicy; limiter: Limiter }): RequestHandler {
  return async (req, res) => {
    await deps.limiter.consume(clientIp(req));
    const input = parseInput(strengthSchema, req.body);
    const user = req.user;
    const context = user
      ? { username: user.username, email: user.email, firstName: user.firstName, lastName: user.lastName }
      : { username: input.username, email: input.email, firstName: input.first_name, lastName: input.last_name };
    const t = res.locals.t;
    const problem = input.password ? deps.policy.check(input.password, context) : { key: 'password.strength.empty' };
    const score = input.password ? deps.policy.strength(input.password, context).score : 0;
    res.set('Cache-Control', 'no-store').json({
      acceptable: !problem,
      score: problem ? Math.min(score, 2) : score,
      label: t(problem ? LABELS[Math.min(score, 2)] as string : (LABELS[score] as string)),
      message: problem ? t(problem.key, problem.params) : t('password.strength.acceptable'),
    });
  };
}
