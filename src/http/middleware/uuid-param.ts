import type { RequestParamHandler } from 'express';
import { isUuid } from '../../infra/ids';
import { NotFoundError } from '../../infra/errors';

/** For `router.param('id', uuidParam)`: an id that cannot exist is a 404, not a database error. */
export const uuidParam: RequestParamHandler = (_req, _res, next, value) => {
  next(isUuid(String(value)) ? undefined : new NotFoundError());
};
