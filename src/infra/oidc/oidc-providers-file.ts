import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';

/** One identity provider people may sign in with, as OIDC_PROVIDERS_FILE describes it. */
export interface OidcProviderConfig {
  /** In URLs (`/auth/oidc/<id>/callback`) and in the database: never change it once people have connected. */
  id: string;
  /** On the buttons and in the profile: "Continue with <name>". */
  name: string;
  issuer: URL;
  clientId: string;
  clientSecret: string;
  scopes: string[];
  /** Take the provider's `email_verified: true` as proof of the address. */
  trustEmailVerified: boolean;
  /** Take the provider's MFA (amr "mfa"/"otp"/"hwk"…, or an acr the operator names) instead of this service's second step. */
  acceptProviderMfa: boolean;
  /** A first sign-in with this provider may create an account (still subject to the sign-up policy). */
  allowSignup: boolean;
}

const ID = /^[a-z0-9][a-z0-9_-]{0,31}$/;
const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

/** Only https, except on this machine (a provider under test, or in development). */
function issuerProblem(value: string): string | undefined {
  if (!URL.canParse(value)) return 'must be a URL, like https://idp.example.com';
  const url = new URL(value);
  if (url.search || url.hash || url.username || url.password) return 'must not have a query, fragment, user name or password';
  if (url.protocol === 'https:') return undefined;
  if (url.protocol === 'http:' && LOOPBACK.has(url.hostname)) return undefined;
  return 'must start with https:// (plain http only for 127.0.0.1 or localhost)';
}

const entry = z
  .object({
    id: z.string().regex(ID, 'must be 1 to 32 lower-case letters, digits, - or _, starting with a letter or digit'),
    name: z.string().trim().min(1).max(60),
    issuer: z.string().superRefine((value, ctx) => {
      const problem = issuerProblem(value);
      if (problem) ctx.addIssue(problem);
    }),
    client_id: z.string().min(1).max(500),
    client_secret: z.string().min(1).max(2000).optional(),
    client_secret_env: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'must be the name of an environment variable').optional(),
    scopes: z
      .array(z.string().regex(/^[\x21\x23-\x5B\x5D-\x7E]+$/, 'must be scope names without spaces'))
      .min(1)
      .max(20)
      .refine((list) => list.includes('openid'), 'must include "openid"'),
    trust_email_verified: z.boolean().default(true),
    accept_provider_mfa: z.boolean().default(false),
    allow_signup: z.boolean().default(true),
  })
  .strict();

const file = z.array(entry).max(20, 'at most 20 providers');

/**
 * Reads and checks OIDC_PROVIDERS_FILE. Every problem becomes one line naming the setting,
 * the entry and the field, so a wrong file stops the start with words, not a stack.
 */
export function readOidcProviders(fileName: string | undefined, env: Record<string, string | undefined>): { providers: OidcProviderConfig[]; problems: string[] } {
  if (fileName === undefined) return { providers: [], problems: [] };
  const where = `OIDC_PROVIDERS_FILE (${path.resolve(fileName)})`;
  let raw: unknown;
  try {
    raw = JSON.parse(fs.readFileSync(fileName, 'utf8'));
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ? 'cannot be read' : `is not valid JSON (${(error as Error).message})`;
    return { providers: [], problems: [`${where}: ${reason}`] };
  }
  const parsed = file.safeParse(raw);
  if (!parsed.success) {
    return { providers: [], problems: parsed.error.issues.map((issue) => `${where}: ${issue.path.length ? `entry ${issue.path.join('.')}` : 'the file'}: ${issue.message}`) };
  }
  const problems: string[] = [];
  const seen = new Set<string>();
  const providers = parsed.data.map((p, index): OidcProviderConfig => {
    if (seen.has(p.id)) problems.push(`${where}: entry ${index}.id: "${p.id}" is used twice`);
    seen.add(p.id);
    const secret = p.client_secret ?? (p.client_secret_env ? env[p.client_secret_env] : undefined);
    if (p.client_secret && p.client_secret_env) problems.push(`${where}: entry ${index}: give client_secret or client_secret_env, not both`);
    else if (!secret) problems.push(`${where}: entry ${index}: ${p.client_secret_env ? `the environment variable ${p.client_secret_env} (client_secret_env) is not set` : 'client_secret (or client_secret_env) is required'}`);
    return {
      id: p.id,
      name: p.name,
      issuer: new URL(p.issuer),
      clientId: p.client_id,
      clientSecret: secret ?? '',
      scopes: p.scopes,
      trustEmailVerified: p.trust_email_verified,
      acceptProviderMfa: p.accept_provider_mfa,
      allowSignup: p.allow_signup,
    };
  });
  return { providers, problems };
}
