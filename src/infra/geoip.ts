import fs from 'node:fs';
import net from 'node:net';
import { Reader, type CityResponse } from 'maxmind';

/** The approximate place of an address, from a local MaxMind database (GEOIP_DB). */
export interface Places {
  /** "Belgrade, Serbia", "Serbia", or undefined when the database is off or does not know the address. */
  placeOf(ip: string, locale: string): string | undefined;
}

/** No database configured: no place is ever shown. */
export const NO_PLACES: Places = { placeOf: () => undefined };

/** Why a configured database cannot be used, for the one line the service refuses to start with. */
export class GeoIpDatabaseError extends Error {}

/** The name in the page's language where the database has one (de, en, ...); English otherwise. */
function nameIn(names: object | undefined, locale: string): string | undefined {
  if (!names) return undefined;
  const byLanguage = names as Partial<Record<string, string>>;
  return byLanguage[locale] ?? byLanguage[locale.split('-')[0] as string] ?? byLanguage.en;
}

/**
 * Reads a GeoLite2-City or -Country database (or GeoIP2's) into memory once. A path that
 * cannot be read, or a file that is not such a database, throws GeoIpDatabaseError: the
 * operator asked for places and would otherwise silently get none.
 */
export function openPlaces(file: string | undefined): Places {
  if (!file) return NO_PLACES;
  let reader: Reader<CityResponse>;
  try {
    reader = new Reader<CityResponse>(fs.readFileSync(file));
  } catch (err) {
    throw new GeoIpDatabaseError(`cannot read ${file} as a MaxMind database (${(err as Error).message})`);
  }
  if (!/City|Country/.test(reader.metadata.databaseType)) {
    throw new GeoIpDatabaseError(`${file} is a ${reader.metadata.databaseType} database; use GeoLite2-City or GeoLite2-Country`);
  }
  return {
    placeOf(ip, locale) {
      // Node reports IPv4 clients of a dual-stack socket as ::ffff:a.b.c.d.
      const address = ip.replace(/^::ffff:(?=\d+\.\d+\.\d+\.\d+$)/i, '');
      if (!net.isIP(address)) return undefined;
      const found = reader.get(address);
      if (!found) return undefined;
      const city = nameIn(found.city?.names, locale);
      const country = nameIn((found.country ?? found.registered_country)?.names, locale);
      return [city, country].filter(Boolean).join(', ') || undefined;
    },
  };
}
