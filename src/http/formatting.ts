import type { Locale } from '../infra/i18n';
import { FORMAT_TAGS } from '../infra/i18n';

/**
 * Zones already found valid. Building an Intl formatter costs more than the rest of a
 * page's set-up, so each zone is checked once; only names the runtime knows are kept,
 * so the set stays as small as the zone database.
 */
const knownZones = new Set<string>();

/** A time zone name the runtime knows, else undefined. */
export function validTimeZone(value: unknown): string | undefined {
  if (typeof value !== 'string' || value.length > 64) return undefined;
  if (knownZones.has(value)) return value;
  try {
    new Intl.DateTimeFormat('en', { timeZone: value });
    knownZones.add(value);
    return value;
  } catch {
    return undefined;
  }
}

export interface DateFormatting {
  /** The zone times are shown in: the browser's (told by a script through the tz cookie) or UTC. */
  timeZone: string;
  time(at: Date | number): string;
  dateTime(at: Date | number): string;
  /** "5 minutes ago", "in 3 hours". */
  relative(at: Date | number, now: Date | number): string;
  iso(at: Date | number): string;
  /** A <time> element (HTML) with the full date as its title: the date itself, or "5 minutes ago" when `now` is given. */
  timeTag(at: Date | number, now?: Date | number): string;
}

const UNITS: Array<[Intl.RelativeTimeFormatUnit, number]> = [
  ['year', 365 * 86_400_000],
  ['month', 30 * 86_400_000],
  ['week', 7 * 86_400_000],
  ['day', 86_400_000],
  ['hour', 3_600_000],
  ['minute', 60_000],
  ['second', 1000],
];

/** One set of formatters per language and zone, built on first use (zones are valid names only). */
const formattings = new Map<string, DateFormatting>();

/** The date and time formatting of a page in this language and zone (UTC when the zone is unknown). */
export function dateFormatting(locale: Locale, timeZone: string | undefined): DateFormatting {
  const key = `${locale} ${timeZone ?? ''}`;
  let formatting = formattings.get(key);
  if (!formatting) {
    formatting = buildDateFormatting(locale, timeZone);
    formattings.set(key, formatting);
  }
  return formatting;
}

function buildDateFormatting(locale: Locale, timeZone: string | undefined): DateFormatting {
  const tag = FORMAT_TAGS[locale];
  const zone = timeZone ?? 'UTC';
  const suffix = timeZone ? '' : ' UTC';
  const time = new Intl.DateTimeFormat(tag, { timeStyle: 'short', timeZone: zone });
  const dateTime = new Intl.DateTimeFormat(tag, { dateStyle: 'medium', timeStyle: 'short', timeZone: zone });
  const relative = new Intl.RelativeTimeFormat(tag, { numeric: 'auto' });
  const relativeTime = (at: Date | number, now: Date | number): string => {
    const diff = new Date(at).getTime() - new Date(now).getTime();
    const [unit, size] = UNITS.find(([, ms]) => Math.abs(diff) >= ms) ?? ['second', 1000];
    return relative.format(Math.round(diff / size), unit);
  };
  return {
    timeZone: zone,
    time: (at) => time.format(at) + suffix,
    dateTime: (at) => dateTime.format(at) + suffix,
    relative: relativeTime,
    iso: (at) => new Date(at).toISOString(),
    timeTag(at, now) {
      // Only digits, letters and punctuation from Intl and toISOString: nothing here needs escaping.
      const full = dateTime.format(at) + suffix;
      return `<time datetime="${new Date(at).toISOString()}" title="${full}">${now === undefined ? full : relativeTime(at, now)}</time>`;
    },
  };
}
