import { z } from 'zod';
import { email } from '../../http/validate';
import { signUpSchema } from '../auth/auth.schemas';

/** The confirmation of an account made through a provider: sign-up's fields without a password. */
export const identitySignUpSchema = z.object({
  first_name: signUpSchema.shape.first_name,
  last_name: signUpSchema.shape.last_name,
  email: email({ requiredKey: 'auth.signUp.errors.emailRequired' }),
  username: signUpSchema.shape.username,
});

export type IdentitySignUpInput = z.infer<typeof identitySignUpSchema>;
