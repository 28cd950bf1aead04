import { FORMAT_TAGS, isLocale } from '../i18n';

/** A moment in mail: the recipient's language, in UTC (we do not know their time zone). */
export function formatWhen(date: Date, locale: string): string {
  const tag = isLocale(locale) ? FORMAT_TAGS[locale] : FORMAT_TAGS.en;
  return `${new Intl.DateTimeFormat(tag, { dateStyle: 'long', timeStyle: 'short', timeZone: 'UTC' }).format(date)} UTC`;
}
