import { z } from 'zod';
import { choice } from '../../http/validate';
import { EMAIL_DOMAINS_MAX, GRACE_DAYS_MAX, SIGN_UP_MODES, TWO_STEP_MODES, type PolicyValues } from '../../core/policies/policy-values';

/** Longest domain list a form may send: a hundred domains of ordinary length, with room to spare. */
const DOMAINS_TEXT_MAX = 10_000;

const graceDaysKey = 'admin.settings.errors.graceDays';

/** Domains trimmed, lower-cased, each once; whether each is a domain the service's rules say (naming the bad one). */
const domainList = z
  .array(z.string({ error: 'admin.settings.errors.domainNotText' }))
  .max(EMAIL_DOMAINS_MAX, 'admin.settings.errors.tooManyDomains')
  .transform((list) => [...new Set(list.map((d) => d.trim().toLowerCase()))]);

/** The form: radio groups, a checkbox (present when ticked), a number and a textarea of domains. */
export const policiesFormSchema = z.object({
  two_step: choice(TWO_STEP_MODES, 'admin.settings.errors.twoStep').optional(),
  grace_days: z
    .string({ error: graceDaysKey })
    .optional()
    .refine((v) => v === undefined || (/^\s*\d{1,3}\s*$/.test(v) && Number(v) <= GRACE_DAYS_MAX), graceDaysKey)
    .transform((v) => (v === undefined ? undefined : Number(v))),
  profile_locked: z.literal('on', { error: 'validation.invalid' }).optional(),
  signup: choice(SIGN_UP_MODES, 'admin.settings.errors.signup').optional(),
  signup_email_domains: z
    .string({ error: 'admin.settings.errors.domainNotText' })
    .max(DOMAINS_TEXT_MAX, 'validation.tooLong')
    .optional()
    .transform((v) => (v ?? '').split(/[\s,]+/).filter(Boolean))
    .pipe(domainList),
});

/** The API: every field optional (only those sent change), each in its JSON type. */
export const policiesBodySchema = z.object({
  two_step: choice(TWO_STEP_MODES, 'admin.settings.errors.twoStep').optional(),
  grace_days: z.number({ error: graceDaysKey }).int(graceDaysKey).min(0, graceDaysKey).max(GRACE_DAYS_MAX, graceDaysKey).optional(),
  profile_locked: z.boolean({ error: 'validation.invalid' }).optional(),
  signup: choice(SIGN_UP_MODES, 'admin.settings.errors.signup').optional(),
  signup_email_domains: domainList.optional(),
});

export type PolicyChanges = Partial<PolicyValues>;
