import { z } from 'zod';
import { email, text } from '../../http/validate';
import { signUpSchema } from '../auth/auth.schemas';

export const createUserSchema = z.object({
  first_name: signUpSchema.shape.first_name,
  last_name: signUpSchema.shape.last_name,
  email: email({ requiredKey: 'auth.signUp.errors.emailRequired' }),
  username: signUpSchema.shape.username,
  admin: z.boolean().default(false),
});

export type CreateUserInput = z.infer<typeof createUserSchema>;

export const usernameSchema = z.object({
  username: text({ requiredKey: 'auth.signUp.errors.usernameRequired', max: 32 }),
});
