import express, { type RequestHandler } from 'express';
import { AppError, PayloadTooLargeError, ValidationError } from '../../http/errors';
import { singleUpload } from '../../http/middleware/upload';
import type { AccountDeletionService } from '../account/account-deletion.service';
import type { DataExportService } from '../account/data-export.service';
import type { PasswordChangeService } from '../password/password-change.service';
import type { AccountDetailsService } from '../profile/account-details.service';
import { AVATAR_MAX_BYTES } from '../profile/avatar-image';
import { avatarUrl } from '../profile/avatar-files.routes';
import type { AvatarService } from '../profile/avatar.service';
import type { EmailChangeService } from '../profile/email-change.service';
import type { ReauthService } from '../sessions/reauth.service';
import { OPERATIONS } from '../sessions/operations';
import { bodyOf, callOf, type ApiEndpoint } from './api-endpoint';
import { avatarResponse, changeEmailRequest, changePasswordRequest, deleteAccountRequest, pendingEmailResponse, updateNameRequest, userResponse } from './api.schemas';
import { userView } from './api-views';
import { proveIdentity } from './step-up';

export interface ProfileApiDeps {
  accountDetails: AccountDetailsService;
  emailChange: EmailChangeService;
  passwordChange: PasswordChangeService;
  avatars: AvatarService;
  accountDeletion: AccountDeletionService;
  dataExport: DataExportService;
  reauth: ReauthService;
  baseUrl: URL;
}

const IMAGE_TYPES = ['image/png', 'image/jpeg', 'image/webp', 'image/gif', 'image/avif'];
const avatarMessages = { tooLarge: 'profile.avatar.errors.tooLarge', unreadable: 'profile.avatar.errors.unreadable' };
const multipartAvatar = singleUpload('avatar', AVATAR_MAX_BYTES, avatarMessages);
const rawAvatar = express.raw({ type: 'image/*', limit: AVATAR_MAX_BYTES });

/** The avatar arrives as the raw body (Content-Type image/*) or as the `avatar` part of a form. */
const avatarBody: RequestHandler = (req, res, next) => {
  if (req.is('multipart/form-data')) return multipartAvatar(req, res, next);
  if (req.is('image/*')) return rawAvatar(req, res, next);
  next(new AppError(415, 'unsupported_media_type', 'api.errors.mediaType'));
};

/** /users/me: the profile, its email address, password and avatar, and the account itself. */
export function profileApi(deps: ProfileApiDeps): ApiEndpoint[] {
  return [
    {
      method: 'get',
      path: '/users/me',
      operationId: 'getMe',
      operation: OPERATIONS.viewProfile,
      summary: 'Your profile',
      tag: 'Profile',
      responses: { 200: { description: 'The profile', schema: userResponse } },
      /** GET /api/v1/users/me */
      handler: (req, res) => {
        res.json(userView(callOf(req, res).user, deps.baseUrl));
      },
    },
    {
      method: 'put',
      path: '/users/me',
      operationId: 'updateMe',
      operation: OPERATIONS.changeName,
      summary: 'Change your first and last name',
      tag: 'Profile',
      body: updateNameRequest,
      responses: { 200: { description: 'The profile as saved', schema: userResponse } },
      /** PUT /api/v1/users/me: the same change as the Account tab's name form. */
      handler: async (req, res) => {
        const { user } = callOf(req, res);
        const input = bodyOf(updateNameRequest, req);
        await deps.accountDetails.updateName(user, input);
        res.json(userView({ ...user, firstName: input.first_name, lastName: input.last_name }, deps.baseUrl));
      },
    },
    {
      method: 'put',
      path: '/users/me/email',
      operationId: 'changeEmail',
      operation: OPERATIONS.changeEmail,
      summary: 'Start changing your email address (a link goes to the new address)',
      tag: 'Profile',
      stepUp: true,
      body: changeEmailRequest,
      responses: { 202: { description: 'Confirmation link sent; nothing changes until it is followed', schema: pendingEmailResponse } },
      /** PUT /api/v1/users/me/email */
      handler: async (req, res) => {
        const { user, ctx } = callOf(req, res);
        const input = bodyOf(changeEmailRequest, req);
        await proveIdentity(deps.reauth, user, input, ctx);
        await deps.emailChange.request(user, input.email, ctx);
        res.status(202).json({ pending_email: input.email });
      },
    },
    {
      method: 'put',
      path: '/users/me/password',
      operationId: 'changePassword',
      operation: OPERATIONS.changePassword,
      summary: 'Change your password',
      tag: 'Profile',
      stepUp: true,
      body: changePasswordRequest,
      responses: { 204: { description: 'Changed; other sessions are signed out' } },
      /** PUT /api/v1/users/me/password */
      handler: async (req, res) => {
        const { user, ctx } = callOf(req, res);
        const input = bodyOf(changePasswordRequest, req);
        await proveIdentity(deps.reauth, user, input, ctx);
        await deps.passwordChange.change(user, { current_password: input.current_password, password: input.password, password_confirm: input.password }, ctx);
        res.status(204).end();
      },
    },
    {
      method: 'put',
      path: '/users/me/avatar',
      operationId: 'uploadAvatar',
      operation: OPERATIONS.uploadAvatar,
      summary: 'Upload a new avatar (raw image body, or multipart with an `avatar` part)',
      tag: 'Profile',
      binaryBody: [...IMAGE_TYPES, 'multipart/form-data'],
      before: [avatarBody],
      responses: { 200: { description: 'Stored, cleaned and re-encoded', schema: avatarResponse }, 413: { description: 'The image is larger than allowed' }, 415: { description: 'Neither an image nor multipart' } },
      /** PUT /api/v1/users/me/avatar */
      handler: async (req, res) => {
        // Too large is 413 as documented, however the image came (express.raw answers 413 itself).
        if (req.uploadError) throw req.uploadError.fields.avatar?.key === avatarMessages.tooLarge ? new PayloadTooLargeError() : req.uploadError;
        const bytes = req.file?.buffer ?? (Buffer.isBuffer(req.body) ? req.body : undefined);
        if (!bytes || bytes.length === 0) throw ValidationError.field('avatar', 'profile.avatar.errors.required');
        const hash = await deps.avatars.upload(callOf(req, res).user, bytes);
        res.json({ avatar_url: new URL(avatarUrl(hash, 256) as string, deps.baseUrl).href });
      },
    },
    {
      method: 'delete',
      path: '/users/me/avatar',
      operationId: 'removeAvatar',
      operation: OPERATIONS.removeAvatar,
      summary: 'Remove your avatar (initials are shown instead)',
      tag: 'Profile',
      responses: { 204: { description: 'Removed' } },
      /** DELETE /api/v1/users/me/avatar */
      handler: async (req, res) => {
        await deps.avatars.remove(callOf(req, res).user);
        res.status(204).end();
      },
    },
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
        const data = await deps.dataExport.export(callOf(req, res).user, req.sessionID);
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
        await proveIdentity(deps.reauth, user, bodyOf(deleteAccountRequest, req), ctx);
        await deps.accountDeletion.delete(user, ctx);
        res.status(204).end();
      },
    },
  ];
}

