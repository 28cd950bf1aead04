import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ConfigError, loadConfig } from '../../../src/config';
import { readOidcProviders } from '../../../src/infra/oidc/oidc-providers-file';

const VALID = { id: 'corp', name: 'Corp SSO', issuer: 'https://idp.corp.example', client_id: 'atrium', client_secret: 's3cret', scopes: ['openid', 'email'] };

let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'atrium-oidc-file-'));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

let written = 0;
/** A providers file holding `content` (JSON unless a string is given), as the operator would write it. */
function fileWith(content: unknown): string {
  written += 1;
  const file = path.join(dir, `providers-${written}.json`);
  fs.writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content));
  return file;
}

const without = (field: keyof typeof VALID) => Object.fromEntries(Object.entries(VALID).filter(([key]) => key !== field));

/** The lines loadConfig refuses the file with (a refusal is expected). */
function refusalOf(content: unknown, env: Record<string, string> = {}): string[] {
  const file = typeof content === 'string' && content.startsWith('/') ? content : fileWith(content);
  try {
    loadConfig({ OIDC_PROVIDERS_FILE: file, ...env });
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message.split('\n');
  }
  throw new Error(`accepted ${JSON.stringify(content)}`);
}

describe('OIDC_PROVIDERS_FILE', () => {
  it('is optional: without it there are no providers', () => {
    expect(readOidcProviders(undefined, {})).toEqual({ providers: [], problems: [] });
    expect(loadConfig({}).oidcProviders).toEqual([]);
  });

  it('reads a valid list, with trust_email_verified, accept_provider_mfa and allow_signup defaulting as documented', () => {
    const config = loadConfig({ OIDC_PROVIDERS_FILE: fileWith([VALID]) });
    expect(config.oidcProviders).toEqual([
      { id: 'corp', name: 'Corp SSO', issuer: new URL('https://idp.corp.example'), clientId: 'atrium', clientSecret: 's3cret', scopes: ['openid', 'email'], trustEmailVerified: true, acceptProviderMfa: false, allowSignup: true },
    ]);
  });

  it('keeps the flags an entry sets, and accepts plain http only on this machine', () => {
    const entries = [
      { ...VALID, trust_email_verified: false, accept_provider_mfa: true, allow_signup: false },
      { ...VALID, id: 'local', issuer: 'http://127.0.0.1:4000' },
      { ...VALID, id: 'dev', issuer: 'http://localhost:4000/realms/dev' },
    ];
    const { providers, problems } = readOidcProviders(fileWith(entries), {});
    expect(problems).toEqual([]);
    expect(providers.map((p) => [p.id, p.trustEmailVerified, p.acceptProviderMfa, p.allowSignup])).toEqual([
      ['corp', false, true, false],
      ['local', true, false, true],
      ['dev', true, false, true],
    ]);
  });

  it('takes the secret from the environment variable client_secret_env names, so it need not sit in the file', () => {
    const file = fileWith([{ ...without('client_secret'), client_secret_env: 'CORP_OIDC_SECRET' }]);
    expect(readOidcProviders(file, { CORP_OIDC_SECRET: 'from-the-env' }).providers[0]?.clientSecret).toBe('from-the-env');
    expect(loadConfig({ OIDC_PROVIDERS_FILE: file, CORP_OIDC_SECRET: 'from-the-env' }).oidcProviders[0]?.clientSecret).toBe('from-the-env');
  });

  it('refuses a file that cannot be read, naming the setting and the path', () => {
    const missing = path.join(dir, 'no-such-file.json');
    const lines = refusalOf(missing);
    expect(lines).toEqual([expect.stringContaining('OIDC_PROVIDERS_FILE')]);
    expect(lines[0]).toContain(missing);
    expect(lines[0]).toContain('cannot be read');
  });

  it('refuses a file that is not JSON', () => {
    expect(refusalOf('[{"id": "corp",]')).toEqual([expect.stringMatching(/^OIDC_PROVIDERS_FILE .*: is not valid JSON/)]);
  });

  it.each([[{ providers: [VALID] }], ['"corp"'], [null]])('refuses a file that is not a list (%j)', (content) => {
    expect(refusalOf(content)).toEqual([expect.stringMatching(/^OIDC_PROVIDERS_FILE .*: the file: /)]);
  });

  it.each(['id', 'name', 'issuer', 'client_id', 'scopes'] as const)('refuses an entry without %s, naming the entry and the field', (field) => {
    const lines = refusalOf([VALID, without(field)]);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(new RegExp(`^OIDC_PROVIDERS_FILE .*: entry 1\\.${field}: `));
  });

  it('refuses an entry without a client secret from either place', () => {
    expect(refusalOf([without('client_secret')])).toEqual([expect.stringMatching(/^OIDC_PROVIDERS_FILE .*: entry 0: client_secret \(or client_secret_env\) is required$/)]);
  });

  it.each([
    ['an id with upper case', { id: 'Corp' }, 'id', /lower-case/],
    ['an id with a slash', { id: 'corp/evil' }, 'id', /lower-case/],
    ['an id too long for a URL segment', { id: 'a'.repeat(33) }, 'id', /1 to 32/],
    ['a plain http issuer elsewhere', { issuer: 'http://idp.corp.example' }, 'issuer', /must start with https:\/\//],
    ['an issuer that is no URL', { issuer: 'idp.corp.example' }, 'issuer', /must be a URL/],
    ['an issuer with a query', { issuer: 'https://idp.corp.example/?tenant=1' }, 'issuer', /query/],
    ['scopes without openid', { scopes: ['email', 'profile'] }, 'scopes', /must include "openid"/],
    ['a scope with a space', { scopes: ['openid', 'email profile'] }, 'scopes.1', /without spaces/],
    ['a flag that is not a boolean', { allow_signup: 'yes' }, 'allow_signup', /boolean/],
    ['an empty name', { name: ' ' }, 'name', /./],
  ])('refuses %s, naming the entry and the field', (_case, change, field, reason) => {
    const lines = refusalOf([{ ...VALID, ...change }]);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(new RegExp(`^OIDC_PROVIDERS_FILE .*: entry 0\\.${field.replace('.', '\\.')}: `));
    expect(lines[0]).toMatch(reason);
  });

  it('refuses an unknown field, naming it (a misspelt flag must not fall back to its default silently)', () => {
    const lines = refusalOf([{ ...VALID, allow_sign_up: false }]);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^OIDC_PROVIDERS_FILE .*: entry 0: .*allow_sign_up/);
  });

  it('refuses an id used twice, naming the second entry', () => {
    expect(refusalOf([VALID, { ...VALID, name: 'Corp again' }])).toEqual([expect.stringMatching(/^OIDC_PROVIDERS_FILE .*: entry 1\.id: "corp" is used twice$/)]);
  });

  it('refuses both client_secret and client_secret_env in one entry', () => {
    const lines = refusalOf([{ ...VALID, client_secret_env: 'CORP_OIDC_SECRET' }], { CORP_OIDC_SECRET: 'x' });
    expect(lines).toEqual([expect.stringMatching(/^OIDC_PROVIDERS_FILE .*: entry 0: give client_secret or client_secret_env, not both$/)]);
  });

  it('refuses client_secret_env naming a variable that is not set', () => {
    const lines = refusalOf([{ ...without('client_secret'), client_secret_env: 'CORP_OIDC_SECRET' }]);
    expect(lines).toEqual([expect.stringMatching(/^OIDC_PROVIDERS_FILE .*: entry 0: the environment variable CORP_OIDC_SECRET \(client_secret_env\) is not set$/)]);
  });

  it('reports every problem of the file at once, one line each', () => {
    const lines = refusalOf([{ ...VALID, id: 'Bad' }, { ...VALID, id: 'two', scopes: ['email'] }]);
    expect(lines).toEqual([expect.stringMatching(/entry 0\.id: /), expect.stringMatching(/entry 1\.scopes: /)]);
  });
});
