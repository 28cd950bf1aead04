import { z } from 'zod';
import { password, text } from '../../http/validate';
import { passwordChangeSchema } from '../password/password.schemas';
import { emailChangeSchema, nameSchema } from '../profile/profile.schemas';
import { sshKeyFormSchema } from '../credentials/credentials.schemas';

/**
 * The JSON API's request and response shapes. Requests reuse the forms' field schemas, so
 * both accept and refuse exactly the same input; responses are what the OpenAPI document
 * promises (it is generated from these).
 */

/** The step-up proof sensitive endpoints need in their body. */
export const stepUpFields = {
  current_password: password({ requiredKey: 'api.errors.currentPasswordRequired' }),
  code: text({ requiredKey: 'mfa.errors.codeRequired', max: 20 }).optional(),
};

export const deleteAccountRequest = z.object(stepUpFields);
export const updateNameRequest = nameSchema;
export const changeEmailRequest = z.object({ ...emailChangeSchema.shape, ...stepUpFields });
export const changePasswordRequest = z.object({ ...stepUpFields, password: passwordChangeSchema.shape.password });
export const addSshKeyRequest = sshKeyFormSchema;

export const createTokenRequest = z.object({
  name: text({ requiredKey: 'tokens.errors.nameRequired', max: 60 }),
  scope: z.enum(['read', 'write'], { error: 'tokens.errors.scope' }),
  expires_in_days: z.union([z.literal(7), z.literal(30), z.literal(90), z.literal(365)], { error: 'tokens.errors.expiry' }).optional(),
  expires_on: z.string({ error: 'tokens.errors.dateInvalid' }).max(10, 'tokens.errors.dateInvalid').optional(),
  allowed_ips: z.array(z.string({ error: 'tokens.errors.allowListType' }).max(64, 'validation.tooLong'), { error: 'tokens.errors.allowListType' }).max(50, 'validation.tooLong').optional(),
  ...stepUpFields,
});

const timestamp = z.string().describe('RFC 3339 date and time');
const nullableTimestamp = timestamp.nullable();

export const userResponse = z.object({
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

export const pendingEmailResponse = z.object({ pending_email: z.string() });
export const avatarResponse = z.object({ avatar_url: z.string() });

export const sessionResponse = z.object({
  id: z.string(),
  current: z.boolean(),
  browser: z.string(),
  os: z.string(),
  device: z.string(),
  ip: z.string(),
  method: z.string(),
  created_at: timestamp,
  last_seen_at: timestamp,
  expires_at: timestamp,
});

export const tokenResponse = z.object({
  id: z.string(),
  name: z.string(),
  masked: z.string(),
  scope: z.enum(['read', 'write']),
  allowed_ips: z.array(z.string()).nullable(),
  created_at: timestamp,
  expires_at: timestamp,
  expired: z.boolean(),
  last_used_at: nullableTimestamp,
  last_used_ip: z.string().nullable(),
});
export const createdTokenResponse = tokenResponse.extend({ token: z.string().describe('The secret, returned this once') });

export const sshKeyResponse = z.object({
  id: z.string(),
  title: z.string(),
  type: z.string(),
  bits: z.number().int(),
  fingerprint: z.string(),
  comment: z.string(),
  public_key: z.string(),
  created_at: timestamp,
});

export const errorResponse = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    fields: z.record(z.string(), z.string()).optional(),
  }),
});
