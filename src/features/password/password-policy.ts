import { ZxcvbnFactory } from '@zxcvbn-ts/core';
import * as zxcvbnCommon from '@zxcvbn-ts/language-common';
import * as zxcvbnEn from '@zxcvbn-ts/language-en';
import type { FieldErrors, Message } from '../../infra/errors';
import type { BreachedPasswords } from './breached-passwords';

/**
 * Words that make a password guessable on this service in particular. SECURITY.md lists
 * them (a test keeps the two in step); the product name is added at run time.
 */
export const CONTEXT_WORDS = [
  'admin', 'administrator', 'root', 'password', 'passwort', 'lozinka', 'account', 'konto', 'nalog',
  'login', 'signin', 'user', 'benutzer', 'korisnik', 'welcome', 'willkommen', 'dobrodosli', 'secret', 'geheim',
];

/** Fewer characters than this left once context words are taken out: built from them. */
const MIN_OWN_CHARACTERS = 6;
/** zxcvbn's cost grows steeply with length; a longer password is judged by its start. */
const ZXCVBN_MAX_CHARS = 40;
const MIN_SCORE = 3;

export interface PasswordContext {
  username?: string;
  email?: string;
  firstName?: string;
  lastName?: string;
}

export interface Strength {
  score: number;
  /** i18n keys for zxcvbn's warning and suggestions. */
  warning?: string;
  suggestions: string[];
}

export interface PasswordPolicy {
  readonly minLength: number;
  readonly maxLength: number;
  /** The first rule the password breaks, as a message; undefined when it is acceptable. */
  check(password: string, context: PasswordContext): Message | undefined;
  strength(password: string, context: PasswordContext): Strength;
}

const LEET: Record<string, string> = { '0': 'o', '1': 'l', '3': 'e', '4': 'a', '5': 's', '7': 't', '@': 'a', $: 's', '!': 'i' };

function normalize(text: string): string {
  return text.toLowerCase().normalize('NFKD').replace(/[\u0300-\u036f]/g, '').replace(/[013457@$!]/g, (c) => LEET[c] ?? c);
}

function contextTokens(context: PasswordContext, productName: string): string[] {
  const raw = [context.username, context.firstName, context.lastName, productName, ...CONTEXT_WORDS];
  if (context.email) raw.push(context.email, ...context.email.split(/[@._+-]/));
  if (context.username) raw.push(...context.username.split(/[._-]/));
  const tokens = raw.filter((t): t is string => !!t).map(normalize).map((t) => t.replace(/[^a-z0-9]/g, ''));
  return [...new Set(tokens.filter((t) => t.length >= 3))].sort((a, b) => b.length - a.length);
}

/** zxcvbn feedback becomes keys under password.zxcvbn, translated like every other string. */
function keyedTranslations() {
  const toKeys = (section: string, entries: Record<string, string>) =>
    Object.fromEntries(Object.keys(entries).map((k) => [k, `password.zxcvbn.${section}.${k}`]));
  const t = zxcvbnEn.translations;
  return { warnings: toKeys('warnings', t.warnings), suggestions: toKeys('suggestions', t.suggestions), timeEstimation: t.timeEstimation } as typeof t;
}

export function createPasswordPolicy(options: { minLength: number; maxLength: number; productName: string; breached: BreachedPasswords }): PasswordPolicy {
  const zxcvbn = new ZxcvbnFactory({
    dictionary: { ...zxcvbnCommon.dictionary, ...zxcvbnEn.dictionary },
    graphs: zxcvbnCommon.adjacencyGraphs,
    translations: keyedTranslations(),
  });

  const builtFromContext = (password: string, tokens: string[]) => {
    let rest = normalize(password);
    for (const token of tokens) rest = rest.split(token).join('');
    return rest.replace(/[\s._\-+*#~,;:!?'"()[\]{}/\\|]/g, '').length < MIN_OWN_CHARACTERS;
  };

  const strength = (password: string, context: PasswordContext): Strength => {
    const inputs = [context.username, context.firstName, context.lastName, context.email, options.productName, ...CONTEXT_WORDS].filter((v): v is string => !!v);
    const result = zxcvbn.check(password.slice(0, ZXCVBN_MAX_CHARS), inputs);
    return { score: result.score, warning: result.feedback.warning ?? undefined, suggestions: result.feedback.suggestions };
  };

  return {
    minLength: options.minLength,
    maxLength: options.maxLength,
    check(password: string, context: PasswordContext): Message | undefined {
      if (password.length < options.minLength) return { key: 'password.errors.tooShort', params: { min: options.minLength } };
      if (password.length > options.maxLength) return { key: 'password.errors.tooLong', params: { max: options.maxLength } };
      if (options.breached.has(password)) return { key: 'password.errors.breached' };
      if (builtFromContext(password, contextTokens(context, options.productName))) return { key: 'password.errors.context' };
      const verdict = strength(password, context);
      // zxcvbn's warning, when it has one, says best what is wrong ("Single words are easy to guess").
      if (verdict.score < MIN_SCORE) return { key: verdict.warning ?? 'password.errors.weak' };
      return undefined;
    },
    strength,
  };
}

/**
 * A new password and its confirmation, over whichever of the two arrived valid: the first
 * rule the password breaks (`before` goes ahead of the policy, e.g. "same as the current
 * one") and whether the confirmation matches, as field errors reported together.
 */
export function newPasswordErrors(
  policy: PasswordPolicy,
  input: { password?: string; password_confirm?: string },
  options: { context: PasswordContext; mismatchKey: string; before?: (password: string) => Message | undefined },
): FieldErrors {
  const errors: FieldErrors = {};
  if (input.password !== undefined) {
    const problem = options.before?.(input.password) ?? policy.check(input.password, options.context);
    if (problem) errors.password = problem;
  }
  if (input.password !== undefined && input.password_confirm !== undefined && input.password !== input.password_confirm) {
    errors.password_confirm = { key: options.mismatchKey };
  }
  return errors;
}
