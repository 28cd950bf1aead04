import { z } from 'zod';
import { LOCALES } from '../../infra/i18n';
import { choice } from '../../http/validate';
import { THEMES } from '../../core/users/user';

const THEME_CHOICES = ['auto', ...THEMES] as const;

export const appearanceSchema = z.object({
  language: choice(LOCALES, 'appearance.errors.language').optional(),
  theme: choice(THEME_CHOICES, 'appearance.errors.theme').optional(),
  next: z.string().optional(),
});

/** The Preferences tab posts both choices. */
export const preferencesSchema = z.object({
  language: choice(LOCALES, 'appearance.errors.language'),
  theme: choice(THEME_CHOICES, 'appearance.errors.theme'),
});

export type AppearanceInput = z.infer<typeof appearanceSchema>;
export type ThemeChoice = (typeof THEME_CHOICES)[number];

/** The Preferences tab's notice form: a checkbox, present when ticked. */
export const noticePreferencesSchema = z.object({
  new_device: z.literal('on', { error: 'validation.invalid' }).optional(),
});
