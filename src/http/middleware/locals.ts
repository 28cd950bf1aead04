import type { RequestHandler } from 'express';
import type { Config } from '../../config';
import { LOCALE_NAMES, LOCALE_TAGS, LOCALES, isLocale, negotiateLocale, type Catalogues, type Locale, type Translator } from '../../infra/i18n';
import { THEMES, initialsOf, isTheme, type Theme } from '../../core/users/user';
import type { UsersRepository } from '../../core/users/users.repository';
import { avatarUrl } from '../../core/users/avatar-url';
import { cookieName } from '../cookies';
import { dateFormatting, validTimeZone } from '../formatting';
import { safeNext } from '../paths';
import { flash, regenerateSession, takeFlash } from '../session';
import { URLS } from '../urls';

declare module 'express-serve-static-core' {
  interface Locals {
    /** The page's translator, in the visitor's language: set first thing on every request. */
    t: Translator;
    locale: Locale;
  }
}

/** The signed-in person's menu in the header, above "Log out". */
const MENU_ITEMS = [
  { href: URLS.profile, labelKey: 'layout.profile' },
  { href: URLS.tokens, labelKey: 'layout.tokens' },
];
/** Administrators also find the console in the menu; nobody else learns it exists. */
const ADMIN_MENU_ITEMS = [...MENU_ITEMS, { href: URLS.admin, labelKey: 'layout.administration' }];

function applyAppearance(res: Parameters<RequestHandler>[1], catalogues: Catalogues, locale: Locale, theme: Theme | null): void {
  res.locals.locale = locale;
  res.locals.fmt = dateFormatting(locale, res.locals.timeZone as string | undefined);
  res.locals.localeTag = LOCALE_TAGS[locale];
  res.locals.t = catalogues.translator(locale);
  res.locals.theme = theme;
}

/**
 * Locals every page needs, before anything that can fail: language (cookie, then
 * Accept-Language), theme (cookie), product name. Error pages rely on these.
 */
export function baseLocals(options: { config: Config; catalogues: Catalogues }): RequestHandler {
  const { config, catalogues } = options;
  return (req, res, next) => {
    const cookies = (req.cookies ?? {}) as Record<string, unknown>;
    const cookieLocale = cookies[cookieName('lang', config)];
    const cookieTheme = cookies[cookieName('theme', config)];
    const locale = isLocale(cookieLocale) ? cookieLocale : (negotiateLocale(req.get('accept-language')) ?? 'en');
    res.locals.timeZone = validTimeZone(cookies[cookieName('tz', config)]);
    applyAppearance(res, catalogues, locale, isTheme(cookieTheme) ? cookieTheme : null);
    Object.assign(res.locals, {
      productName: config.productName,
      locales: LOCALES.map((code) => ({ code, name: LOCALE_NAMES[code] })),
      themes: THEMES,
      // Sent back as the theme picker's `next`: never a path that reads as another site.
      currentPath: safeNext(req.path, config.baseUrl),
      tzCookie: cookieName('tz', config),
      viewer: null,
      takeFlash: () => [],
      csrfToken: () => '',
      csrfField: () => '',
    });
    // Pages carry CSRF tokens and personal data: never stored by browsers or proxies.
    res.set('Cache-Control', 'no-store');
    next();
  };
}

/**
 * A password change ends every session signed in before it. The change commits first and
 * the sessions are ended after (they live in another store): a process that dies between
 * the two must not leave them working, so the user row, which committed, has the last word.
 */
function signedInBeforePasswordChange(sessionCreatedAt: number | undefined, passwordChangedAt: Date | null): boolean {
  return passwordChangedAt !== null && (sessionCreatedAt ?? 0) < passwordChangedAt.getTime();
}

/**
 * Loads the signed-in user (the one database query a signed-in page costs), applies
 * their saved language and theme, and exposes only what views need.
 */
export function currentUser(options: { catalogues: Catalogues; users: UsersRepository }): RequestHandler {
  return async (req, res, next) => {
    const csrfToken = () => {
      if (!req.csrfToken) return '';
      // A new token means a new (anonymous) session: renderPage saves it before answering.
      if (!req.session.csrfToken) res.locals.sessionNeedsSave = true;
      return req.csrfToken();
    };
    res.locals.csrfToken = csrfToken;
    // The anti-forgery field every form sends back as `_csrf` (checked in src/http/csrf.ts);
    // a function, not an include (a page has several forms); tokens are hex, nothing to escape.
    res.locals.csrfField = () => `<input type="hidden" name="_csrf" value="${csrfToken()}">`;
    const userId = req.session?.userId;
    if (userId) {
      const user = await options.users.findById(userId);
      if (!user || signedInBeforePasswordChange(req.session.createdAt, user.passwordChangedAt)) {
        await regenerateSession(req);
        if (user) flash(req, { type: 'info', key: 'sessions.ended.passwordChanged' });
      } else {
        req.user = user;
        applyAppearance(res, options.catalogues, user.language ?? res.locals.locale, user.theme ?? (res.locals.theme as Theme | null));
        res.locals.viewer = {
          id: user.id,
          username: user.username,
          firstName: user.firstName,
          lastName: user.lastName,
          email: user.email,
          emailVerified: user.emailVerifiedAt !== null,
          initials: initialsOf(user),
          avatarUrl: avatarUrl(user.avatarHash, 256),
          avatarSmallUrl: avatarUrl(user.avatarHash, 96),
          role: user.role,
        };
        res.locals.menuItems = user.role === 'admin' ? ADMIN_MENU_ITEMS : MENU_ITEMS;
      }
    }
    // Taken when the layout renders, so a redirect does not swallow a message.
    if (req.session) res.locals.takeFlash = () => takeFlash(req);
    next();
  };
}
