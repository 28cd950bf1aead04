import type { z } from 'zod';
import type { TestApp } from '../helpers/app';
import { signUpSchema } from '../../src/features/auth/auth.schemas';
import { recoveryEmailSchema } from '../../src/features/profile/profile.schemas';
import { appPasswordFormSchema, sshKeyFormSchema, tokenFormSchema } from '../../src/features/credentials/credentials.schemas';
import { passkeyNameSchema } from '../../src/features/mfa/mfa.schemas';
import { preferencesSchema } from '../../src/features/appearance/appearance.schemas';
import { THEMES } from '../../src/core/users/user';
import type { Answer } from './fuzz-client';
import { MARKER } from './fuzz-values';

/** Frames of a stack trace, or the paths of the source, in an answer. */
const STACK_TRACE = /\bat [\w$.<>]+ \(?[^\s()]*:\d+:\d+\)?|node_modules[\\/]|[\\/]src[\\/][\w/-]+\.[jt]s\b|\w*Error: .*\n\s+at /;

/**
 * What is wrong with an answer, or undefined: a 5xx, a stack trace, a 4xx without words, or
 * a generated value written into an HTML page unescaped. `parserAnswer` accepts Node's own
 * bare 400/431 for a request its HTTP parser refused (the app never saw it); the answer to
 * HEAD has no body to hold words.
 */
export function problemWith(answer: Answer, options: { parserAnswer?: boolean; head?: boolean } = {}): string | undefined {
  const type = answer.headers['content-type'] ?? '';
  if (answer.status >= 500 || answer.status < 200) return `status ${answer.status}`;
  if (STACK_TRACE.test(answer.text)) return `a stack trace or source path: ${STACK_TRACE.exec(answer.text)?.[0]}`;
  if (answer.status >= 400 && !options.head) {
    const fromParser = options.parserAnswer && !type && answer.text === '' && [400, 413, 414, 431].includes(answer.status);
    if (!fromParser && !hasWords(answer)) return `a ${answer.status} without words (${type || 'no content type'})`;
  }
  if (type.startsWith('text/html')) {
    const reflected = ['<', '"', "'"].find((quote) => answer.text.includes(quote + MARKER));
    if (reflected) return `a value written unescaped into the page: …${answer.text.slice(Math.max(0, answer.text.indexOf(reflected + MARKER) - 80), answer.text.indexOf(reflected + MARKER) + 20)}…`;
  }
  return undefined;
}

function hasWords(answer: Answer): boolean {
  const type = answer.headers['content-type'] ?? '';
  if (type.startsWith('application/json')) {
    try {
      const message = (JSON.parse(answer.text) as { error?: { message?: unknown } }).error?.message;
      return typeof message === 'string' && /\p{L}{2,}/u.test(message);
    } catch {
      return false;
    }
  }
  const text = answer.text.replace(/<(script|style)[\s\S]*?<\/\1>/g, '').replace(/<[^>]*>/g, ' ');
  return /\p{L}{3,}/u.test(text);
}

/** A value is stored as the form's rule would leave it: it passes, and parsing it again changes nothing. */
function offence(schema: z.ZodType, value: unknown): string | undefined {
  const parsed = schema.safeParse(value);
  if (!parsed.success) return parsed.error.issues.map((issue) => issue.message).join(', ');
  return parsed.data === value ? undefined : `stored unnormalised (${JSON.stringify(parsed.data)})`;
}

interface Row {
  [column: string]: unknown;
}

/**
 * Every row people write, checked with the same field rules the forms apply (the app's own
 * schemas): accounts, their tokens, app passwords, SSH keys and passkeys. Returns one line per bad value.
 */
export async function invalidRows(t: TestApp): Promise<string[]> {
  const problems: string[] = [];
  const check = (table: string, row: Row, column: string, schema: z.ZodType) => {
    const why = offence(schema, row[column]);
    if (why) problems.push(`${table} ${String(row.id)} ${column}=${JSON.stringify(row[column])?.slice(0, 120)}: ${why}`);
  };
  const { shape } = signUpSchema;
  for (const user of (await t.deps.db('users').select()) as Row[]) {
    for (const column of ['first_name', 'last_name', 'email', 'username'] as const) check('users', user, column, shape[column]);
    if (user.recovery_email !== null) check('users', user, 'recovery_email', recoveryEmailSchema.shape.recovery_email);
    if (user.language !== null) check('users', user, 'language', preferencesSchema.shape.language);
    if (user.theme !== null && !(THEMES as readonly unknown[]).includes(user.theme)) problems.push(`users ${String(user.id)} theme=${JSON.stringify(user.theme)}`);
  }
  for (const token of (await t.deps.db('api_tokens').select('id', 'name', 'scope')) as Row[]) {
    check('api_tokens', token, 'name', tokenFormSchema.shape.name);
    check('api_tokens', token, 'scope', tokenFormSchema.shape.scope);
  }
  for (const appPassword of (await t.deps.db('app_passwords').select('id', 'name', 'scope')) as Row[]) {
    check('app_passwords', appPassword, 'name', appPasswordFormSchema.shape.name);
    check('app_passwords', appPassword, 'scope', appPasswordFormSchema.shape.scope);
  }
  for (const key of (await t.deps.db('ssh_keys').select('id', 'title')) as Row[]) check('ssh_keys', key, 'title', sshKeyFormSchema.shape.title);
  for (const passkey of (await t.deps.db('authenticators').where({ type: 'passkey' }).select('id', 'name')) as Row[]) check('authenticators', passkey, 'name', passkeyNameSchema.shape.name);
  return problems;
}
