import { z } from 'zod';
import { password, text } from '../validate';

/** Shapes every feature's endpoints share; each feature keeps its own request and response shapes. */

/** The step-up proof sensitive endpoints (`stepUp: true`) carry in their body, checked like /reauth. */
export const stepUpFields = {
  current_password: password({ requiredKey: 'api.errors.currentPasswordRequired' }),
  code: text({ requiredKey: 'mfa.errors.codeRequired', max: 20 }).optional(),
};

export const timestamp = z.string().describe('RFC 3339 date and time');

export const iso = (date: Date | null) => (date ? date.toISOString() : null);

export const errorResponse = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    fields: z.record(z.string(), z.string()).optional(),
  }),
});
