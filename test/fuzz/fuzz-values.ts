import fc from 'fast-check';
import { GOOD_PASSWORD } from '../helpers/factories';

/**
 * Follows a generated value into the answer: it only ever follows `<`, `"` or `'`, so
 * finding one of those right before it in an HTML page means the value was written out
 * unescaped (escaped, it reads `&lt;Zq7Xv`).
 */
export const MARKER = 'Zq7Xv';
export const PROBES = [`<${MARKER}>`, `"${MARKER}`, `'${MARKER}`, `"><script>${MARKER}</script>`, `' onmouseover='${MARKER}`, `<img src=x onerror=${MARKER}>`];

/** Characters that break things: controls, NUL, lone surrogates, bidi overrides, invisibles, combining marks, non-characters. */
const NASTY_CHARACTERS = [
  ...Array.from({ length: 32 }, (_, i) => String.fromCharCode(i)),
  '\u007f', '\u0085', '\u009f', '\u00a0',
  '\ud800', '\udbff', '\udc00', '\udfff',
  '\u202a', '\u202b', '\u202d', '\u202e', '\u2066', '\u2067', '\u2068', '\u2069', '\u200e', '\u200f',
  '\u200b', '\u200c', '\u200d', '\u2028', '\u2029', '\ufeff', '\u00ad',
  '\u0301', '\u0336', 'e\u0301', '\ufffd', '\ufffe', '\uffff', '\u{10ffff}', '\u{1f600}', '\u{1f468}\u200d\u{1f469}\u200d\u{1f467}',
  'ß', 'İ', 'ﬁ', 'Ω', '𝒜', 'ж', 'ђ', 'ع', '中', '%', '+', '&', '=', ';', '\\', '/', '..', '{{', '${', '<%=',
];

/** Values that pass some form's checks, so that cases also get past validation and are stored. */
const PLAUSIBLE = ['Jane', 'Doe', 'jane.doe', 'someone@example.com', GOOD_PASSWORD, 'read', 'write', '30', '365', 'on', 'en', 'de', 'sr-Cyrl', 'dark', 'auto', '123456', '2027-01-01', '10.0.0.0/8', 'Laptop', ''];

const NUMBERS = ['0', '-0', '-1', '1.5', '1e308', '-1e308', '1e-400', 'NaN', 'Infinity', '9007199254740993', '0x10', '١٢٣', ' 7 ', '99999999999999999999999'];

const nastyCharacter = fc.constantFrom(...NASTY_CHARACTERS);

/** Strings of every class: any code unit (lone surrogates too), the nasty characters, probes, numbers and plausible values. */
export const hostileString: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
  { weight: 2, arbitrary: fc.string({ unit: fc.oneof(nastyCharacter, fc.string({ unit: 'grapheme', minLength: 1, maxLength: 3 })), maxLength: 30 }) },
  { weight: 2, arbitrary: fc.string({ unit: fc.oneof(fc.constantFrom(...PROBES), fc.string({ unit: 'grapheme-ascii', minLength: 1, maxLength: 4 })), minLength: 1, maxLength: 5 }) },
  { weight: 1, arbitrary: fc.array(fc.integer({ min: 0, max: 0xffff }), { maxLength: 20 }).map((units) => String.fromCharCode(...units)) },
  { weight: 1, arbitrary: fc.constantFrom(...NUMBERS) },
  { weight: 4, arbitrary: fc.constantFrom(...PLAUSIBLE) },
);

/** Long values, from just over a field's limit to over the body limit (100 KB). */
export const longString: fc.Arbitrary<string> = fc
  .tuple(fc.constantFrom('a', 'ж', '\u202e', '<', '\u0000', '😀', PROBES[0] as string), fc.constantFrom(65, 300, 1_100, 20_000, 60_000, 100_000, 150_000))
  .map(([unit, length]) => unit.repeat(Math.ceil(length / unit.length)));

/** `arbitrary`'s value once in `every` cases, null otherwise. */
export function sometimes<T>(arbitrary: fc.Arbitrary<T>, every: number): fc.Arbitrary<T | null> {
  return fc.oneof({ weight: every - 1, arbitrary: fc.constant(null) }, { weight: 1, arbitrary });
}

/** Percent-encoding of a string's UTF-8 bytes (a lone surrogate becomes U+FFFD, as a browser sends it). */
export function percentEncode(value: string): string {
  return [...Buffer.from(value, 'utf8')].map((byte) => (/[A-Za-z0-9_.~-]/.test(String.fromCharCode(byte)) ? String.fromCharCode(byte) : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`)).join('');
}

/** Encodings a browser never sends: broken escapes, invalid UTF-8, overlong forms, encoded NUL. */
const BROKEN_ENCODINGS = ['%', '%Z', '%ZZ', '%E0%A4%A', '%C3%28', '%FF%FE', '%C0%AF', '%ED%A0%80', '%F4%90%80%80', '%00', '%0D%0A', '+%2B+', '%25%32%35', '%u0041'];

/** One url-encoded value: a hostile string, encoded as a browser would, sometimes with broken escapes around it. */
export const encodedFormValue: fc.Arbitrary<string> = fc.oneof(
  { weight: 6, arbitrary: hostileString.map(percentEncode) },
  { weight: 1, arbitrary: fc.tuple(hostileString, fc.constantFrom(...BROKEN_ENCODINGS)).map(([value, broken]) => percentEncode(value) + broken) },
);

/** How a field arrives: once, twice (a duplicate key), as `name[]` or `name[key]`, or without its name at all. */
export type FieldShape = 'plain' | 'duplicate' | 'array' | 'object' | 'missing' | 'empty-name';
export const fieldShape: fc.Arbitrary<FieldShape> = fc.oneof(
  { weight: 12, arbitrary: fc.constant('plain' as const) },
  { weight: 1, arbitrary: fc.constantFrom('duplicate' as const, 'array' as const, 'object' as const, 'missing' as const, 'empty-name' as const) },
);

/** `name=value` pairs of one field in the given shape. */
export function encodeField(name: string, shape: FieldShape, values: [string, string]): string[] {
  const key = percentEncode(name);
  switch (shape) {
    case 'plain':
      return [`${key}=${values[0]}`];
    case 'duplicate':
      return [`${key}=${values[0]}`, `${key}=${values[1]}`];
    case 'array':
      return [`${key}[]=${values[0]}`, `${key}[]=${values[1]}`];
    case 'object':
      return [`${key}[b]=${values[0]}`, `${key}[__proto__][x]=${values[1]}`];
    case 'missing':
      return [];
    case 'empty-name':
      return [`=${values[0]}`, `${key}`];
  }
}

/** Numbers at the edges, for JSON bodies. */
const EDGE_NUMBERS = [0, -0, -1, 1, 1.5, 2 ** 31, -(2 ** 31), 2 ** 53, 2 ** 53 + 2, Number.MAX_VALUE, -Number.MAX_VALUE, Number.MIN_VALUE, 1e21, 365, 30, 7];

/** Any JSON value, hostile strings and edge numbers included, a few levels deep. */
export const jsonValue: fc.Arbitrary<unknown> = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    { weight: 8, arbitrary: hostileString },
    { weight: 2, arbitrary: fc.constantFrom(...EDGE_NUMBERS) },
    { weight: 1, arbitrary: fc.double() },
    { weight: 1, arbitrary: fc.constantFrom(true, false, null) },
    { weight: 1, arbitrary: fc.array(tie('value'), { maxLength: 4 }) },
    { weight: 1, arbitrary: fc.dictionary(fc.constantFrom('a', '__proto__', 'constructor', 'toString', 'valueOf', ''), tie('value'), { maxKeys: 3 }) },
  ),
})).value;

/** JSON nested `depth` levels deep, of arrays or of objects. */
export function deeplyNested(depth: number, kind: 'array' | 'object', innermost = '"x"'): string {
  return kind === 'array' ? '['.repeat(depth) + innermost + ']'.repeat(depth) : '{"a":'.repeat(depth) + innermost + '}'.repeat(depth);
}
