import { z } from 'zod';
import { password, text } from '../../http/validate';

export const reauthSchema = z.object({
  password: password({ requiredKey: 'reauth.errors.passwordRequired' }),
  code: text({ requiredKey: 'mfa.errors.codeRequired', max: 20 }).optional(),
  next: z.string().optional(),
});

export type ReauthInput = z.infer<typeof reauthSchema>;
