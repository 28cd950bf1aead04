import { z } from 'zod';
import { ValidationError, type FieldErrors } from '../infra/errors';

/**
 * Field schemas whose failures are i18n keys, so that every message can be translated
 * and shown beside its field. Forms post strings; anything else (an array from a
 * repeated field, an object) is refused as the wrong type rather than coerced.
 */

// C0/C1 controls (NUL, CR, LF, ...) have no business in a one-line field.
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;

const noControl = (value: string) => !CONTROL.test(value);

/**
 * U+FFFD stands for bytes that were not UTF-8 (a url-encoded form decodes them so); a lone
 * surrogate can come only in JSON (`"\ud800"`), and becomes U+FFFD on its way to the
 * database. Either way what was typed is lost.
 */
const UNREADABLE = /\uFFFD|\p{Cs}/u;
const readable = (value: string) => !UNREADABLE.test(value);

const stringInput = (requiredKey: string) =>
  z.string({ error: (issue) => (issue.input === undefined || issue.input === null ? requiredKey : 'validation.notText') });

/** A required one-line text: trimmed, NFC-normalised, bounded, no control characters. */
export function text(options: { requiredKey: string; max: number }) {
  return stringInput(options.requiredKey)
    .transform((v) => v.normalize('NFC').trim())
    .pipe(
      z
        .string()
        .min(1, options.requiredKey)
        .max(options.max, 'validation.tooLong')
        .refine(noControl, 'validation.controlCharacters')
        .refine(readable, 'validation.invalidCharacters'),
    );
}

/** An optional one-line text: blank becomes undefined. */
export function optionalText(options: { max: number }) {
  return z
    .string({ error: 'validation.notText' })
    .optional()
    .transform((v) => v?.normalize('NFC').trim() || undefined)
    .pipe(z.string().max(options.max, 'validation.tooLong').refine(noControl, 'validation.controlCharacters').refine(readable, 'validation.invalidCharacters').optional());
}

/**
 * A password: taken exactly as typed (no trimming). Only presence, type and a generous
 * bound are checked here; the password policy judges the rest.
 */
export function password(options: { requiredKey: string; max?: number }) {
  return stringInput(options.requiredKey)
    .min(1, options.requiredKey)
    .max(options.max ?? 1024, 'validation.tooLong')
    .refine((v) => !v.includes('\u0000'), 'validation.controlCharacters');
}

/** One of a fixed set of values (a select or radio group). */
export function choice<const T extends readonly [string, ...string[]]>(values: T, requiredKey = 'validation.chooseOne') {
  return z.enum(values, { error: requiredKey });
}

/** Addresses are trimmed; quoted local parts, comments and header-breaking characters are refused. */
const EMAIL = /^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$/;

export function email(options: { requiredKey: string }) {
  return stringInput(options.requiredKey)
    .transform((v) => v.trim())
    .pipe(
      z
        .string()
        .min(1, options.requiredKey)
        .max(254, 'validation.emailTooLong')
        .refine(noControl, 'validation.emailInvalid')
        .refine((v) => EMAIL.test(v) && !v.includes('..') && (v.split('@')[0]?.length ?? 0) <= 64, 'validation.emailInvalid'),
    );
}

function paramsOf(issue: z.core.$ZodIssue): Record<string, number> {
  const params: Record<string, number> = {};
  if (issue.code === 'too_big') params.max = Number(issue.maximum);
  if (issue.code === 'too_small') params.min = Number(issue.minimum);
  return params;
}

function messageOf(issue: z.core.$ZodIssue) {
  const key = /^[a-z][\w-]*(\.[\w-]+)+$/i.test(issue.message) ? issue.message : 'validation.invalid';
  return { key, params: paramsOf(issue) };
}

/** The first message per field, in the order the issues came. */
function fieldErrorsOf(issues: readonly z.core.$ZodIssue[]): FieldErrors {
  const fields: FieldErrors = {};
  for (const issue of issues) {
    const name = issue.path.length > 0 ? String(issue.path[0]) : '_form';
    fields[name] ??= messageOf(issue);
  }
  return fields;
}

/** What a rule check says about the fields that are valid so far: a message per field it finds wrong. */
export type FieldRules<T> = (valid: Partial<T>) => FieldErrors;

export type Parsed<T> = { ok: true; data: T } | { ok: false; errors: FieldErrors; valid: Partial<T> };

/**
 * Parses input with a schema. When it fails, an object schema's fields are also parsed one
 * by one, so that the caller knows which values are good and can judge them by its rules
 * in the same pass (a weak password is reported together with a bad email address).
 */
export function parseFields<T>(schema: z.ZodType<T>, input: unknown): Parsed<T> {
  const body = input ?? {};
  const result = schema.safeParse(body);
  if (result.success) return { ok: true, data: result.data };
  const valid: Record<string, unknown> = {};
  if (schema instanceof z.ZodObject && typeof body === 'object') {
    for (const [name, field] of Object.entries(schema.shape as Record<string, z.ZodType>)) {
      const parsed = field.safeParse((body as Record<string, unknown>)[name]);
      if (parsed.success) valid[name] = parsed.data;
    }
  }
  return { ok: false, errors: fieldErrorsOf(result.error.issues), valid: valid as Partial<T> };
}

/**
 * One message per field: the schema's first (it says what is missing or malformed), else the
 * rules'; in the order of the schema's fields.
 */
export function mergeFieldErrors(schema: z.ZodType, ...sources: FieldErrors[]): FieldErrors {
  const merged: FieldErrors = {};
  for (const source of sources) for (const [name, message] of Object.entries(source)) merged[name] ??= message;
  const order = schema instanceof z.ZodObject ? Object.keys(schema.shape as object) : [];
  const rank = (name: string) => (order.includes(name) ? order.indexOf(name) : order.length);
  return Object.fromEntries(Object.entries(merged).sort(([a], [b]) => rank(a) - rank(b)));
}

/**
 * Parses input with a schema; failures become one ValidationError with a message per field,
 * together with what `rules` (when given) find wrong in the fields that are valid.
 */
export function parseInput<T>(schema: z.ZodType<T>, input: unknown, rules?: FieldRules<T>): T {
  const parsed = parseFields(schema, input);
  if (parsed.ok) return parsed.data;
  throw new ValidationError(mergeFieldErrors(schema, parsed.errors, rules ? rules(parsed.valid) : {}));
}
