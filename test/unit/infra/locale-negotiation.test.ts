import { negotiateLocale } from '../../../src/infra/i18n';

describe('Choosing a language from Accept-Language', () => {
  it.each([
    ['de-DE,de;q=0.9,en;q=0.8', 'de'],
    ['en-GB', 'en'],
    ['fr-FR,fr;q=0.9,sr-Latn;q=0.5', 'sr'],
    ['sr-Cyrl-RS', 'sr-Cyrl'],
    ['sr', 'sr'],
    ['fr;q=1, de;q=0.1, en;q=0.5', 'en'],
    ['de;q=0', undefined],
    ['ja, zh', undefined],
    ['', undefined],
    ['*;q=1,,,;;;', undefined],
  ])('%j -> %s', (header, locale) => {
    expect(negotiateLocale(header)).toBe(locale);
  });
});
