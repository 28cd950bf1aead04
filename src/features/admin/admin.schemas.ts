import { z } from 'zod';
import { stepUpFields } from '../../http/api/api-schemas';
import { choice, email, text } from '../../http/validate';
import { signUpSchema } from '../auth/auth.schemas';
import { newApplicationSchema, type NewApplicationInput } from '../provider/provider.schemas';

export const createUserSchema = z.object({
  first_name: signUpSchema.shape.first_name,
  last_name: signUpSchema.shape.last_name,
  email: email({ requiredKey: 'auth.signUp.errors.emailRequired' }),
  username: signUpSchema.shape.username,
  admin: z.boolean({ error: 'validation.invalid' }).default(false),
});

export type CreateUserInput = z.infer<typeof createUserSchema>;

/** The console's "New account" form: the same fields, the role as a checkbox (present when ticked). */
export const createUserFormSchema = createUserSchema.extend({
  admin: z
    .literal('on', { error: 'validation.invalid' })
    .optional()
    .transform((v) => v !== undefined),
});

export const usernameSchema = z.object({
  username: text({ requiredKey: 'auth.signUp.errors.usernameRequired', max: 32 }),
});

const role = choice(['admin', 'user'], 'admin.roles.errors.roleRequired');

export const roleFormSchema = z.object({ role });

/** The danger zone's confirmation: the person's username, typed out. */
export const deleteUserFormSchema = z.object({ confirm_username: text({ requiredKey: 'admin.delete.errors.usernameRequired', max: 254 }) });

export const createUserRequest = createUserSchema.extend(stepUpFields);
export const roleRequest = z.object({ role, ...stepUpFields });
export const deleteUserRequest = z.object(stepUpFields);

/** A textarea: one entry a line, each trimmed, blank lines left out. */
const lines = z
  .string({ error: 'validation.notText' })
  .optional()
  .transform((text) => (text ?? '').split(/\r\n|\r|\n/).map((line) => line.trim()).filter(Boolean));

/**
 * The console's "Register an application" form: the fields as a browser sends them, then
 * apps:create's own schema, so the rules and messages are the command line's.
 */
const applicationFormFields = z.object({
  name: z.string({ error: 'validation.notText' }).default(''),
  redirect_uris: lines,
  post_logout_redirect_uris: lines,
  public: z
    .literal('on', { error: 'validation.invalid' })
    .optional()
    .transform((v) => v !== undefined),
});

// The cast: zod's pipe wants the command's input type (whose lists may be left out) to be the form's output (where they never are).
export const applicationFormSchema = applicationFormFields.pipe(newApplicationSchema as z.ZodType<NewApplicationInput, z.output<typeof applicationFormFields>>);

export const APPLICATION_FIELDS = ['name', 'redirect_uris', 'post_logout_redirect_uris', 'public'] as const;
