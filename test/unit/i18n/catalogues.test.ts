import fs from 'node:fs';
import path from 'node:path';
import { LOCALES, createCatalogues } from '../../../src/infra/i18n';
import { transliterateCatalogue } from '../../../scripts/sr-cyrillic';

const root = path.join(__dirname, '..', '..', '..');
const load = (locale: string) => JSON.parse(fs.readFileSync(path.join(root, 'locales', `${locale}.json`), 'utf8')) as Record<string, unknown>;

const PLURAL_FORMS = new Set(['zero', 'one', 'two', 'few', 'many', 'other']);
const isPlural = (value: unknown) => typeof value === 'object' && value !== null && Object.keys(value).every((k) => PLURAL_FORMS.has(k));

/** Leaf keys; a plural object counts as one leaf. */
function leaves(value: unknown, prefix = ''): Map<string, unknown> {
  const out = new Map<string, unknown>();
  if (typeof value === 'string' || isPlural(value)) {
    out.set(prefix, value);
    return out;
  }
  for (const [key, inner] of Object.entries(value as Record<string, unknown>)) {
    for (const [k, v] of leaves(inner, prefix ? `${prefix}.${key}` : key)) out.set(k, v);
  }
  return out;
}

function walk(dir: string, ext: RegExp): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return walk(full, ext);
    return ext.test(entry.name) ? [full] : [];
  });
}

const catalogues = Object.fromEntries(LOCALES.map((l) => [l, leaves(load(l))]));
const english = catalogues.en as Map<string, unknown>;
const topLevel = Object.keys(load('en'));

describe('Translations', () => {
  it.each(LOCALES.filter((l) => l !== 'en'))('%s has exactly the keys English has', (locale) => {
    const keys = catalogues[locale] as Map<string, unknown>;
    expect([...english.keys()].filter((k) => !keys.has(k))).toEqual([]);
    expect([...keys.keys()].filter((k) => !english.has(k))).toEqual([]);
  });

  it('gives every plural phrase the same forms in every language (unused forms repeat "other")', () => {
    const formsOf = (locale: string) =>
      [...(catalogues[locale] as Map<string, unknown>)].filter(([, v]) => isPlural(v)).map(([k, v]) => `${k}: ${Object.keys(v as object).sort().join(',')}`);
    for (const locale of LOCALES) expect(formsOf(locale)).toEqual(formsOf('en'));
  });

  it('every key the code and the views use exists', () => {
    const files = [...walk(path.join(root, 'src'), /\.ts$/), ...walk(path.join(root, 'views'), /\.ejs$/)];
    const pattern = new RegExp(`['"\`]((?:${topLevel.join('|')})\\.[A-Za-z0-9_.-]+[A-Za-z0-9_])['"\`]`, 'g');
    const used = new Set<string>();
    for (const file of files) {
      for (const match of fs.readFileSync(file, 'utf8').matchAll(pattern)) {
        if (!(match[1] as string).endsWith('.ejs')) used.add(match[1] as string);
      }
    }
    expect(used.size).toBeGreaterThan(50);
    const missing = [...used].filter((key) => !english.has(key) && ![...english.keys()].some((k) => k.startsWith(`${key}.`)));
    expect(missing).toEqual([]);
  });

  it('uses the same placeholders in every language', () => {
    const placeholders = (v: unknown) => [...JSON.stringify(v).matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort().filter((x, i, a) => a.indexOf(x) === i);
    for (const locale of LOCALES) {
      for (const [key, value] of catalogues[locale] as Map<string, unknown>) {
        expect({ locale, key, placeholders: placeholders(value) }).toEqual({ locale, key, placeholders: placeholders(english.get(key)) });
      }
    }
  });

  it('gives Serbian plurals their one, few and other forms', () => {
    for (const locale of ['sr', 'sr-Cyrl']) {
      for (const [key, value] of catalogues[locale] as Map<string, unknown>) {
        if (isPlural(value)) expect({ key, forms: Object.keys(value as object).sort() }).toEqual({ key, forms: ['few', 'one', 'other'] });
      }
    }
    const t = createCatalogues().translator('sr');
    expect(t.plural('errors.retryAfterMinutes', 1)).toBe('Možete pokušati ponovo za 1 minut.');
    expect(t.plural('errors.retryAfterSeconds', 3)).toBe('Možete pokušati ponovo za 3 sekunde.');
    expect(t.plural('errors.retryAfterSeconds', 25)).toBe('Možete pokušati ponovo za 25 sekundi.');
  });

  it('keeps the Cyrillic catalogue generated from the Latin one (npm run locales:sr-cyrl)', () => {
    expect(load('sr-Cyrl')).toEqual(transliterateCatalogue(load('sr')));
  });

  it('interpolates parameters without escaping (the views escape)', () => {
    const t = createCatalogues().translator('en');
    expect(t('home.greeting', { name: '<b>Jane</b>' })).toBe('Hello, <b>Jane</b>!');
  });
});
