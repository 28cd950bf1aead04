import { z } from 'zod';
import { password } from '../../http/validate';

export const reauthSchema = z.object({
  password: password({ requiredKey: 'reauth.errors.passwordRequired' }),
  next: z.string().optional(),
});

export type ReauthInput = z.infer<typeof reauthSchema>;
