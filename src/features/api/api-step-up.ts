import type { RequestHandler } from 'express';
import type { z } from 'zod';
import { callOf, checkedBodyOf, type ApiEndpoint } from '../../http/api/api-endpoint';
import { ValidationError } from '../../infra/errors';
import type { ReauthService } from '../auth/reauth.service';

/**
 * The API's step-up, for endpoints marked `stepUp`: their body carries `current_password`
 * (and `code` when an authenticator app is on), checked exactly like /reauth, once the
 * whole body is valid and passes the endpoint's rules (so every field's message comes back
 * at once) and before the handler.
 */
export function apiStepUp(reauth: ReauthService, endpoint: ApiEndpoint): RequestHandler {
  const schema = endpoint.body as z.ZodType<{ current_password: string; code?: string }>;
  return async (req, res, next) => {
    const { user, ctx } = callOf(req, res);
    const body = checkedBodyOf(endpoint, schema, req);
    try {
      await reauth.confirm(user, { password: body.current_password, code: body.code }, ctx);
    } catch (err) {
      if (err instanceof ValidationError && err.fields.password) throw new ValidationError({ current_password: err.fields.password });
      throw err;
    }
    next();
  };
}
