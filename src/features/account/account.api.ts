import { z } from 'zod';
import { OPERATIONS } from '../../core/operations';
import { callOf, type ApiEndpoint } from '../../http/api/api-endpoint';
import { stepUpFields } from '../../http/api/api-schemas';
import type { AccountDeletionService } from './account-deletion.service';
import type { DataExportService } from './data-export.service';

const deleteAccountRequest = z.object(stepUpFields);

/** /users/me/export and DELETE /users/me: the Data tab's operations. */
export function accountApi(deps: { accountDeletion: AccountDeletionService; dataExport: DataExportService }): ApiEndpoint[] {
  return [
    {
      method: 'get',
      path: '/users/me/export',
      operationId: 'exportMyData',
      operation: OPERATIONS.exportData,
      summary: 'Everything kept about you, as one JSON document (never a secret or a digest)',
      tag: 'Profile',
      responses: { 200: { description: 'The same file as "Download my data" on the profile' } },
      /** GET /api/v1/users/me/export */
      handler: async (req, res) => {
        const { user, ctx } = callOf(req, res);
        const data = await deps.dataExport.export(user, ctx);
        res.set('Content-Disposition', `attachment; filename="${deps.dataExport.fileName()}"`).json(data);
      },
    },
    {
      method: 'delete',
      path: '/users/me',
      operationId: 'deleteMe',
      operation: OPERATIONS.deleteAccount,
      summary: 'Delete your account, irreversibly',
      tag: 'Profile',
      stepUp: true,
      body: deleteAccountRequest,
      responses: { 204: { description: 'Deleted; every session has ended' } },
      /** DELETE /api/v1/users/me: the same deletion as /profile/delete. */
      handler: async (req, res) => {
        const { user, ctx } = callOf(req, res);
        await deps.accountDeletion.delete(user, ctx);
        res.status(204).end();
      },
    },
  ];
}
