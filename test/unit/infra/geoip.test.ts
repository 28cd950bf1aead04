import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { GeoIpDatabaseError, openPlaces } from '../../../src/infra/geoip';

/** A real MaxMind DB file (written by test/fixtures/geoip/write-mmdb.ts) with documentation networks. */
const DATABASE = path.join(__dirname, '../../fixtures/geoip/places-test.mmdb');

describe('The approximate place of an address, from a local GeoLite2 database', () => {
  const places = openPlaces(DATABASE);

  it('names the city and country, or the country alone when that is all it knows', () => {
    expect(places.placeOf('198.51.100.7', 'en')).toBe('Belgrade, Serbia');
    expect(places.placeOf('203.0.113.9', 'en')).toBe('Germany');
    expect(places.placeOf('2001:db8::1', 'en')).toBe('Vienna, Austria');
  });

  it('uses the page language where the database has it, and English where it does not', () => {
    expect(places.placeOf('198.51.100.7', 'de')).toBe('Belgrad, Serbien');
    expect(places.placeOf('2001:db8::1', 'de')).toBe('Wien, Österreich');
    expect(places.placeOf('198.51.100.7', 'sr')).toBe('Belgrade, Serbia');
    expect(places.placeOf('198.51.100.7', 'sr-Cyrl')).toBe('Belgrade, Serbia');
  });

  it('finds an IPv4 client that the socket reports in its IPv6 form', () => {
    expect(places.placeOf('::ffff:198.51.100.7', 'en')).toBe('Belgrade, Serbia');
  });

  it('says nothing of addresses it does not know, local ones, or no address at all', () => {
    for (const ip of ['127.0.0.1', '192.0.2.1', '::1', '', 'not-an-address']) expect(places.placeOf(ip, 'en')).toBeUndefined();
  });

  it('shows nothing when no database is configured', () => {
    expect(openPlaces(undefined).placeOf('198.51.100.7', 'en')).toBeUndefined();
  });

  it('refuses a path that cannot be read, or a file that is not a MaxMind database', () => {
    expect(() => openPlaces('/nonexistent/GeoLite2-City.mmdb')).toThrow(GeoIpDatabaseError);
    const notADatabase = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'geoip-')), 'GeoLite2-City.mmdb');
    fs.writeFileSync(notADatabase, 'this is not a database');
    expect(() => openPlaces(notADatabase)).toThrow(/cannot read .* as a MaxMind database/);
  });
});
