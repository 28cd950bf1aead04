import { z } from 'zod';
import { OPERATIONS } from '../../core/operations';
import { bodyOf, callOf, type ApiEndpoint } from '../../http/api/api-endpoint';
import { stepUpFields } from '../../http/api/api-schemas';
import { signedInUser } from '../../http/pages';
import type { PasswordChangeService } from './password-change.service';
import { passwordChangeSchema } from './password.schemas';

const changePasswordRequest = z.object({ ...stepUpFields, password: passwordChangeSchema.shape.password });

/** /users/me/password: the Password tab's operation. */
export function passwordApi(deps: { passwordChange: PasswordChangeService }): ApiEndpoint[] {
  return [
    {
      method: 'put',
      path: '/users/me/password',
      operationId: 'changePassword',
      operation: OPERATIONS.changePassword,
      summary: 'Change your password',
      tag: 'Profile',
      stepUp: true,
      body: changePasswordRequest,
      responses: { 204: { description: 'Changed; other sessions are signed out' }, 409: { description: 'The account has no password (it signs in through an identity provider): set one by the mailed link first' } },
      // Before the step-up, which would only call the missing password wrong.
      before: [
        (req, _res, next) => {
          deps.passwordChange.requirePassword(signedInUser(req));
          next();
        },
      ],
      /** PUT /api/v1/users/me/password */
      handler: async (req, res) => {
        const { user, ctx } = callOf(req, res);
        const input = bodyOf(changePasswordRequest, req);
        await deps.passwordChange.change(user, { current_password: input.current_password, password: input.password, password_confirm: input.password }, ctx);
        res.status(204).end();
      },
    },
  ];
}
