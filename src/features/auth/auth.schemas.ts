import { z } from 'zod';
import { email, password, text } from '../../http/validate';
import { USERNAME } from '../../core/users/user';


export const signUpSchema = z.object({
  first_name: text({ requiredKey: 'auth.signUp.errors.firstNameRequired', max: 100 }),
  last_name: text({ requiredKey: 'auth.signUp.errors.lastNameRequired', max: 100 }),
  email: email({ requiredKey: 'auth.signUp.errors.emailRequired' }),
  username: text({ requiredKey: 'auth.signUp.errors.usernameRequired', max: 32 })
    .transform((v) => v.toLowerCase())
    .pipe(
      z
        .string()
        .min(3, 'auth.signUp.errors.usernameLength')
        .regex(USERNAME, 'auth.signUp.errors.usernameCharacters'),
    ),
  password: password({ requiredKey: 'auth.signUp.errors.passwordRequired' }),
  password_confirm: password({ requiredKey: 'auth.signUp.errors.passwordConfirmRequired' }),
});

export type SignUpInput = z.infer<typeof signUpSchema>;

export const signInSchema = z.object({
  identifier: text({ requiredKey: 'auth.signIn.errors.identifierRequired', max: 254 }),
  password: password({ requiredKey: 'auth.signIn.errors.passwordRequired' }),
});

export type SignInInput = z.infer<typeof signInSchema>;

export const setPasswordSchema = z.object({
  password: password({ requiredKey: 'auth.setPassword.errors.passwordRequired' }),
  password_confirm: password({ requiredKey: 'auth.setPassword.errors.passwordConfirmRequired' }),
});

export type SetPasswordInput = z.infer<typeof setPasswordSchema>;

export const forgotPasswordSchema = z.object({
  email: email({ requiredKey: 'auth.forgotPassword.errors.emailRequired' }),
});

export type ForgotPasswordInput = z.infer<typeof forgotPasswordSchema>;
