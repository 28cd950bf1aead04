import type { Request, Response } from 'express';
import type { Config } from '../../config';
import { PREFERENCE_COOKIE_MS, cookieName, cookieOptions } from '../../http/cookies';
import { safeNext } from '../../http/paths';
import { parseInput } from '../../http/validate';
import { appearanceSchema, type AppearanceInput, type ThemeChoice } from './appearance.schemas';
import type { AppearanceService } from './appearance.service';
import { page } from '../../http/pages';

/** Remembers the choice in cookies too, so that the sign-in page keeps it after signing out. */
export function rememberAppearance(res: Response, config: Config, choice: { language?: string; theme?: ThemeChoice }): void {
  const options = { ...cookieOptions(config), maxAge: PREFERENCE_COOKIE_MS };
  if (choice.language) res.cookie(cookieName('lang', config), choice.language, options);
  if (choice.theme === 'auto') res.clearCookie(cookieName('theme', config), cookieOptions(config));
  else if (choice.theme) res.cookie(cookieName('theme', config), choice.theme, options);
}

/**
 * The language and theme picker in every page's footer. Choices are remembered in
 * cookies (so the sign-in page keeps them) and, for a signed-in person, on the account.
 */
export function createAppearancePages(deps: { appearance: AppearanceService; config: Config }) {
  const remember = (res: Response, input: AppearanceInput) => rememberAppearance(res, deps.config, input);
  const back = (req: Request, input: AppearanceInput) => safeNext(input.next ?? req.get('referer'), deps.config.baseUrl);

  return {
    /** GET /appearance: for visitors who are not signed in (no session needed); only sets cookies. */
    choose: page((req, res) => {
      const input = parseInput(appearanceSchema, req.query);
      remember(res, input);
      res.redirect(303, back(req, input));
    }),

    /** POST /appearance: a signed-in person's choice, saved on the account. */
    save: page(async (req, res) => {
      const input = parseInput(appearanceSchema, req.body);
      if (req.user) await deps.appearance.save(req.user.id, input);
      remember(res, input);
      res.redirect(303, back(req, input));
    }),
  };
}
