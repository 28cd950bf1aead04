import { z } from 'zod';
import { OPERATIONS } from '../../core/operations';
import type { User } from '../../core/users/user';
import type { ApiEndpoint } from '../../http/api/api-endpoint';
import { iso, timestamp } from '../../http/api/api-schemas';
import { actorContext } from './admin-actor';
import type { AdminDeletionService } from './admin-deletion.service';
import type { AdminInvitationsService } from './admin-invitations.service';
import type { AdminRolesService } from './admin-roles.service';
import { createUserRequest, createUserSchema, deleteUserRequest, roleRequest } from './admin.schemas';

const accountResponse = z.object({
  id: z.string(),
  username: z.string(),
  email: z.string(),
  first_name: z.string(),
  last_name: z.string(),
  role: z.enum(['admin', 'user']),
  email_verified: z.boolean(),
  has_password: z.boolean(),
  locked_at: timestamp.nullable(),
  created_at: timestamp,
});

/** An account as the admin API shows it: who and in what state, never a secret or a digest. */
function accountView(user: User): z.infer<typeof accountResponse> {
  return {
    id: user.id,
    username: user.username,
    email: user.email,
    first_name: user.firstName,
    last_name: user.lastName,
    role: user.role,
    email_verified: user.emailVerifiedAt !== null,
    has_password: user.passwordHash !== null,
    locked_at: iso(user.lockedAt),
    created_at: user.createdAt.toISOString(),
  };
}

const lastAdministrator = { description: 'Refused: it would leave no administrator (`last_administrator`)' };

/** /admin/users: creating an account with an invitation, changing a role, deleting an account (the console's services). */
export function adminAccountsApi(deps: { invitations: AdminInvitationsService; roles: AdminRolesService; deletion: AdminDeletionService }): ApiEndpoint[] {
  return [
    {
      method: 'post',
      path: '/admin/users',
      operationId: 'adminCreateUser',
      operation: OPERATIONS.adminCreateUser,
      summary: 'Create an account; its owner gets an invitation link by mail to choose a password',
      tag: 'Administration',
      stepUp: true,
      body: createUserRequest,
      responses: { 201: { description: 'Created; the invitation is mailed (its link is never returned)', schema: accountResponse }, 422: { description: 'Invalid, taken or reserved username or address' } },
      /** POST /api/v1/admin/users: the same as the console's "New account". */
      handler: async (req, res) => {
        // The account's fields only: the step-up proof beside them has been checked.
        const { user } = await deps.invitations.createInvited(createUserSchema.parse(req.body), actorContext(req, res));
        res.status(201).json(accountView(user));
      },
    },
    {
      method: 'put',
      path: '/admin/users/{username}/role',
      operationId: 'adminChangeRole',
      operation: OPERATIONS.adminChangeRole,
      summary: 'Make an account an administrator, or a regular user again',
      tag: 'Administration',
      stepUp: true,
      body: roleRequest,
      responses: { 200: { description: 'The account with its role (unchanged when it already had it)', schema: accountResponse }, 404: { description: 'No such account' }, 409: lastAdministrator },
      /** PUT /api/v1/admin/users/{username}/role */
      handler: async (req, res) => {
        const { role } = roleRequest.parse(req.body);
        const { user } = await deps.roles.changeRole(String(req.params.username), role, actorContext(req, res));
        res.json(accountView(user));
      },
    },
    {
      method: 'delete',
      path: '/admin/users/{username}',
      operationId: 'adminDeleteUser',
      operation: OPERATIONS.adminDeleteUser,
      summary: 'Delete an account, irreversibly (as its owner would); never your own or the last administrator',
      tag: 'Administration',
      stepUp: true,
      body: deleteUserRequest,
      responses: { 204: { description: 'Deleted; its sessions have ended and its owner was told by mail' }, 404: { description: 'No such account' }, 409: lastAdministrator },
      /** DELETE /api/v1/admin/users/{username} */
      handler: async (req, res) => {
        await deps.deletion.deleteAccount(String(req.params.username), actorContext(req, res));
        res.status(204).end();
      },
    },
  ];
}
