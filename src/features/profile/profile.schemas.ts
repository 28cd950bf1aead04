import { z } from 'zod';
import { email } from '../../http/validate';
import { signUpSchema } from '../auth/auth.schemas';

export const nameSchema = z.object({
  first_name: signUpSchema.shape.first_name,
  last_name: signUpSchema.shape.last_name,
});
export type NameInput = z.infer<typeof nameSchema>;

export const emailChangeSchema = z.object({
  email: email({ requiredKey: 'profile.email.errors.required' }),
});
export type EmailChangeInput = z.infer<typeof emailChangeSchema>;

export const recoveryEmailSchema = z.object({
  recovery_email: email({ requiredKey: 'profile.recovery.errors.required' }),
});
export type RecoveryEmailInput = z.infer<typeof recoveryEmailSchema>;
