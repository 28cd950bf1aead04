import { z } from 'zod';
import { choice, optionalText, text } from '../../http/validate';
import { TOKEN_LIFETIMES } from './api-tokens.service';

const scope = choice(['read', 'write'] as const, 'tokens.errors.scope');

/** The token form on /profile/tokens; `admin` is for administrators only (the service decides). */
export const tokenFormSchema = z.object({
  name: text({ requiredKey: 'tokens.errors.nameRequired', max: 60 }),
  scope: choice(['read', 'write', 'admin'] as const, 'tokens.errors.scope'),
  expires: choice(TOKEN_LIFETIMES, 'tokens.errors.expiry'),
  expires_on: optionalText({ max: 10 }),
  // One entry per line is allowed, so line breaks are fine here; the allow-list parser judges the entries.
  allowed_ips: z.string({ error: 'validation.notText' }).max(2000, 'validation.tooLong').optional(),
});
export type TokenFormInput = z.infer<typeof tokenFormSchema>;

export const appPasswordFormSchema = z.object({
  name: text({ requiredKey: 'appPasswords.errors.nameRequired', max: 60 }),
  scope,
});
export type AppPasswordFormInput = z.infer<typeof appPasswordFormSchema>;

export const sshKeyFormSchema = z.object({
  title: text({ requiredKey: 'keys.errors.titleRequired', max: 100 }),
  // A public key is one line, but people paste it with line breaks; the parser decides.
  key: z
    .string({ error: (issue) => (issue.input === undefined ? 'keys.errors.keyRequired' : 'validation.notText') })
    .max(16_384, 'validation.tooLong')
    .refine((v) => v.trim().length > 0, 'keys.errors.keyRequired'),
});
export type SshKeyFormInput = z.infer<typeof sshKeyFormSchema>;
