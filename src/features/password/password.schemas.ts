import { z } from 'zod';
import { password, text } from '../../http/validate';

export const passwordChangeSchema = z.object({
  current_password: password({ requiredKey: 'profile.password.errors.currentRequired' }),
  password: password({ requiredKey: 'profile.password.errors.newRequired' }),
  password_confirm: password({ requiredKey: 'profile.password.errors.confirmRequired' }),
});
export type PasswordChangeInput = z.infer<typeof passwordChangeSchema>;

/** What the live strength hint sends: the candidate and, on sign-up, the details it must not be built from. */
export const strengthSchema = z.object({
  password: z.string({ error: 'validation.notText' }).max(1024, 'validation.tooLong'),
  username: text({ requiredKey: 'validation.invalid', max: 254 }).optional(),
  email: text({ requiredKey: 'validation.invalid', max: 254 }).optional(),
  first_name: text({ requiredKey: 'validation.invalid', max: 254 }).optional(),
  last_name: text({ requiredKey: 'validation.invalid', max: 254 }).optional(),
});
export type StrengthInput = z.infer<typeof strengthSchema>;
