import { z } from 'zod';
import { LOCALES } from '../../infra/i18n';
import { choice } from '../../http/validate';
import { THEMES } from '../users/user';

export const appearanceSchema = z.object({
  language: choice(LOCALES, 'appearance.errors.language').optional(),
  theme: choice(THEMES, 'appearance.errors.theme').optional(),
  next: z.string().optional(),
});

export type AppearanceInput = z.infer<typeof appearanceSchema>;
