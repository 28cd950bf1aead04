import { z } from 'zod';
import { text } from '../../http/validate';

const checkbox = z
  .union([z.literal('on'), z.literal('1'), z.literal('true')], { error: 'validation.invalid' })
  .optional()
  .transform((v) => v !== undefined);

export const totpCodeSchema = z.object({
  code: text({ requiredKey: 'mfa.errors.codeRequired', max: 20 }),
  sign_out_others: checkbox,
});

export const secondFactorSchema = z.object({
  code: text({ requiredKey: 'mfa.errors.codeRequired', max: 20 }).optional(),
  recovery_code: text({ requiredKey: 'mfa.errors.recoveryCodeRequired', max: 40 }).optional(),
});

export const signOutOthersSchema = z.object({ sign_out_others: checkbox });

export const acknowledgeCodesSchema = z.object({
  saved: z.literal('on', { error: 'mfa.errors.confirmSaved' }),
});

export const passkeyNameSchema = z.object({
  name: text({ requiredKey: 'passkeys.errors.nameRequired', max: 60 }),
});

/** A WebAuthn response as @simplewebauthn/browser sends it; the library checks the inside. */
export const webauthnResponseSchema = z.object({
  response: z.object({ id: z.string().max(1024), rawId: z.string().max(1024), type: z.string().max(32) }).passthrough(),
  name: z.string().max(60).optional(),
});

/** A new passkey from passkeys.js, with the state of the "sign out my other sessions" box. */
export const passkeyRegistrationSchema = webauthnResponseSchema.extend({
  sign_out_others: z.boolean({ error: 'validation.invalid' }).optional(),
});
