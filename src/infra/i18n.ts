import { I18n } from 'i18n';
import { fromRoot } from './project-root';

export const LOCALES = ['en', 'de', 'sr', 'sr-Cyrl'] as const;
export type Locale = (typeof LOCALES)[number];
export const DEFAULT_LOCALE: Locale = 'en';

/** How each language names itself, for pickers. */
export const LOCALE_NAMES: Record<Locale, string> = {
  en: 'English',
  de: 'Deutsch',
  sr: 'Srpski (latinica)',
  'sr-Cyrl': 'Српски (ћирилица)',
};

/** BCP 47 tags for <html lang>. */
export const LOCALE_TAGS: Record<Locale, string> = { en: 'en', de: 'de', sr: 'sr-Latn', 'sr-Cyrl': 'sr-Cyrl' };

/** Tags for dates and numbers: English as written in Europe (24-hour clock, day before month). */
export const FORMAT_TAGS: Record<Locale, string> = { en: 'en-GB', de: 'de-DE', sr: 'sr-Latn-RS', 'sr-Cyrl': 'sr-Cyrl-RS' };

export type TranslateParams = Record<string, string | number>;
export interface Translator {
  locale: Locale;
  (key: string, params?: TranslateParams): string;
  /** A phrase with plural forms ({one, few, other}) picked by the locale's rules. */
  plural(key: string, count: number, params?: TranslateParams): string;
}

export function isLocale(value: unknown): value is Locale {
  return typeof value === 'string' && (LOCALES as readonly string[]).includes(value);
}

/**
 * Placeholders are written {name}: i18n's own mustache interpolation HTML-escapes, and the
 * views escape again, so we keep i18n to catalogues, lookup and plural rules.
 */
function interpolate(phrase: string, params?: TranslateParams): string {
  if (!params) return phrase;
  return phrase.replace(/\{(\w+)\}/g, (whole, name: string) =>
    Object.prototype.hasOwnProperty.call(params, name) ? String(params[name]) : whole,
  );
}

export interface Catalogues {
  translator(locale: Locale): Translator;
  catalogue(locale: Locale): Record<string, unknown>;
}

/** Phrases remembered per language (a catalogue has about eight hundred). */
const MEMO_LIMIT = 10_000;

export function createCatalogues(onMissing: (locale: string, key: string) => void = () => {}): Catalogues {
  const i18n = new I18n({
    locales: [...LOCALES],
    directory: fromRoot('locales'),
    defaultLocale: DEFAULT_LOCALE,
    objectNotation: true,
    updateFiles: false,
    syncFiles: false,
    autoReload: false,
    retryInDefaultLocale: false,
    missingKeyFn: (locale: string, key: string) => {
      onMissing(locale, key);
      return key;
    },
  });
  const cache = new Map<Locale, Translator>();
  return {
    translator(locale) {
      let t = cache.get(locale);
      if (!t) {
        // A page looks up a hundred phrases and i18n walks the dotted key every time. Keys
        // come from the code, so the memo stays as small as the catalogue; the cap only
        // guards against a key ever built from outside input.
        const phrases = new Map<string, string>();
        const phrase = (key: string) => {
          let found = phrases.get(key);
          if (found === undefined) {
            found = i18n.__({ phrase: key, locale });
            if (phrases.size < MEMO_LIMIT) phrases.set(key, found);
          }
          return found;
        };
        const translate = ((key: string, params?: TranslateParams) => interpolate(phrase(key), params)) as Translator;
        translate.locale = locale;
        translate.plural = (key, count, params) =>
          interpolate(i18n.__n({ singular: key, plural: key, locale, count }), { count, ...params });
        t = translate;
        cache.set(locale, t);
      }
      return t;
    },
    catalogue: (locale) => i18n.getCatalog(locale) as Record<string, unknown>,
  };
}

/** Picks the best supported locale from an Accept-Language header. */
export function negotiateLocale(header: string | undefined): Locale | undefined {
  if (!header) return undefined;
  const ranked = header
    .split(',')
    .slice(0, 20)
    .map((part, index) => {
      const [tag = '', ...rest] = part.trim().split(';');
      const q = rest.map((p) => p.trim()).find((p) => p.startsWith('q='));
      const weight = q ? Number.parseFloat(q.slice(2)) : 1;
      return { tag: tag.trim().toLowerCase(), weight: Number.isFinite(weight) ? weight : 0, index };
    })
    .filter((entry) => entry.weight > 0 && entry.tag.length > 0)
    .sort((a, b) => b.weight - a.weight || a.index - b.index);
  for (const { tag } of ranked) {
    const match = matchTag(tag);
    if (match) return match;
  }
  return undefined;
}

function matchTag(tag: string): Locale | undefined {
  const [language, ...subtags] = tag.split('-');
  if (language === 'en') return 'en';
  if (language === 'de') return 'de';
  if (language === 'sr' || language === 'sh') {
    return subtags.includes('cyrl') ? 'sr-Cyrl' : 'sr';
  }
  return undefined;
}
