import express, { type RequestHandler } from 'express';
import { z } from 'zod';
import { OPERATIONS } from '../../core/operations';
import { avatarUrl } from '../../core/users/avatar-url';
import type { User } from '../../core/users/user';
import { bodyOf, callOf, type ApiEndpoint } from '../../http/api/api-endpoint';
import { stepUpFields, timestamp } from '../../http/api/api-schemas';
import { singleUpload } from '../../http/middleware/upload';
import { AppError, PayloadTooLargeError, ValidationError } from '../../infra/errors';
import type { AccountDetailsService } from './account-details.service';
import { AVATAR_MAX_BYTES } from '../../core/users/avatar-image';
import type { AvatarService } from './avatar.service';
import type { EmailChangeService } from './email-change.service';
import { emailChangeSchema, nameSchema } from './profile.schemas';

const updateNameRequest = nameSchema;
const changeEmailRequest = z.object({ ...emailChangeSchema.shape, ...stepUpFields });

const userResponse = z.object({
  id: z.string(),
  username: z.string(),
  email: z.string(),
  email_verified: z.boolean(),
  recovery_email: z.string().nullable(),
  first_name: z.string(),
  last_name: z.string(),
  language: z.string().nullable(),
  theme: z.string().nullable(),
  avatar_url: z.string().nullable(),
  two_factor_enabled: z.boolean(),
  created_at: timestamp,
});
const pendingEmailResponse = z.object({ pending_email: z.string() });
const avatarResponse = z.object({ avatar_url: z.string() });

/** The profile as the JSON API shows it; avatar URLs are absolute (API clients have no page to resolve against). */
function userView(user: User, baseUrl: URL): z.infer<typeof userResponse> {
  const avatar = avatarUrl(user.avatarHash, 256);
  return {
    id: user.id,
    username: user.username,
    email: user.email,
    email_verified: user.emailVerifiedAt !== null,
    recovery_email: user.recoveryEmail,
    first_name: user.firstName,
    last_name: user.lastName,
    language: user.language,
    theme: user.theme,
    avatar_url: avatar && new URL(avatar, baseUrl).href,
    two_factor_enabled: user.mfaEnabled,
    created_at: user.createdAt.toISOString(),
  };
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

/** /users/me: the Account tab's operations (the profile, its email address and avatar). */
export function profileApi(deps: { accountDetails: AccountDetailsService; emailChange: EmailChangeService; avatars: AvatarService; baseUrl: URL }): ApiEndpoint[] {
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
        await deps.emailChange.request(user, input.email, ctx);
        res.status(202).json({ pending_email: input.email });
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
  ];
}
