// Shared by the /api/v1 endpoint tests in this folder; each test file starts its own app.
import crypto from 'node:crypto';
import request from 'supertest';
import type { Response } from 'supertest';
import type { TestApp } from '../../helpers/app';
import { Visitor } from '../../helpers/browser-agent';
import { totpAt } from '../../helpers/totp';
import type { User } from '../../../src/core/users/user';
import type { Scope } from '../../../src/features/credentials/credentials.repository';

export type Method = 'get' | 'put' | 'post' | 'delete';
export type { Scope } from '../../../src/features/credentials/credentials.repository';
export type Person = User & { password: string };

export const BASE = '/api/v1';
export const DAY = 86_400_000;
const STEP = 30_000;
export const ctx = { ip: '127.0.0.1', userAgent: 'test', locale: 'en' as const };
export const UNKNOWN_ID = '00000000-0000-4000-8000-000000000000';
export const UNKNOWN_HANDLE = 'f'.repeat(64);
export const UNKNOWN_CLIENT_ID = '0'.repeat(32);

/** Every operation of the API, as documented; authentication.test.ts checks this list against /api/v1/openapi.json. */
export const ENDPOINTS: Array<{ method: Method; path: string }> = [
  { method: 'get', path: '/users/me' },
  { method: 'put', path: '/users/me' },
  { method: 'delete', path: '/users/me' },
  { method: 'get', path: '/users/me/export' },
  { method: 'put', path: '/users/me/email' },
  { method: 'put', path: '/users/me/password' },
  { method: 'put', path: '/users/me/avatar' },
  { method: 'delete', path: '/users/me/avatar' },
  { method: 'get', path: '/users/me/sessions' },
  { method: 'delete', path: '/users/me/sessions/{id}' },
  { method: 'get', path: '/users/me/tokens' },
  { method: 'post', path: '/users/me/tokens' },
  { method: 'delete', path: '/users/me/tokens/{id}' },
  { method: 'get', path: '/users/me/ssh-keys' },
  { method: 'post', path: '/users/me/ssh-keys' },
  { method: 'delete', path: '/users/me/ssh-keys/{id}' },
  { method: 'get', path: '/users/me/identities' },
  { method: 'delete', path: '/users/me/identities/{id}' },
  { method: 'get', path: '/users/me/apps' },
  { method: 'delete', path: '/users/me/apps/{client_id}' },
];
export const READS = ENDPOINTS.filter((e) => e.method === 'get');
export const WRITES = ENDPOINTS.filter((e) => e.method !== 'get');
export const label = (e: { method: Method; path: string }) => `${e.method.toUpperCase()} ${e.path}`;
export const concrete = (path: string) => path.replace('{id}', path.includes('sessions') ? UNKNOWN_HANDLE : UNKNOWN_ID).replace('{client_id}', UNKNOWN_CLIENT_ID);

export const iso = expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);

/** What every answer of the API carries once the caller got past the address check. */
export function expectApiHeaders(res: Response): void {
  expect(res.headers['cache-control']).toBe('no-store');
  expect(res.headers['ratelimit']).toMatch(/^"api-ip";r=\d+;t=\d+(, "api-client";r=\d+;t=\d+)?$/);
  expect(res.headers['ratelimit-policy']).toBe('"api-ip";q=1200;w=60, "api-client";q=600;w=60');
}

/** A JSON error in the one documented shape. */
export function expectError(res: Response, status: number, code: string, fields?: Record<string, string | RegExp>): void {
  expect({ status: res.status, code: res.body?.error?.code }).toEqual({ status, code });
  expect(res.type).toBe('application/json');
  expect(typeof res.body.error.message).toBe('string');
  expect(res.body.error.message.length).toBeGreaterThan(5);
  expect(res.headers['cache-control']).toBe('no-store');
  if (fields) {
    expect(Object.keys(res.body.error.fields ?? {}).sort()).toEqual(Object.keys(fields).sort());
    for (const [name, message] of Object.entries(fields)) {
      if (typeof message === 'string') expect(res.body.error.fields[name]).toBe(message);
      else expect(res.body.error.fields[name]).toMatch(message);
    }
  }
}

function sshField(data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  return Buffer.concat([length, data]);
}

/** A fresh Ed25519 public key line as ssh-keygen writes it, and its SHA256 fingerprint. */
export function ed25519Key(comment = 'jane@laptop'): { line: string; fingerprint: string; publicKey: string } {
  const { publicKey } = crypto.generateKeyPairSync('ed25519');
  const raw = Buffer.from(publicKey.export({ format: 'jwk' }).x as string, 'base64url');
  const blob = Buffer.concat([sshField(Buffer.from('ssh-ed25519')), sshField(raw)]);
  const base64 = blob.toString('base64');
  return {
    line: `ssh-ed25519 ${base64} ${comment}`,
    publicKey: `ssh-ed25519 ${base64}`,
    fingerprint: `SHA256:${crypto.createHash('sha256').update(blob).digest('base64').replace(/=+$/, '')}`,
  };
}

/** The helpers that need the running app: the file's `describeApp()`, read at each use. */
export function apiHelpers(t: TestApp) {
  /** A personal access token, made through the service as the tokens page would. */
  async function tokenFor(user: User, scope: Scope = 'write', name = `${scope} token`): Promise<string> {
    const { secret } = await t.services.apiTokens.create(user, { name, scope, expires: '30' }, ctx);
    return secret;
  }

  /** An API request with a bearer token (or none); no Accept header, as many scripts send. */
  function api(method: Method, path: string, secret?: string) {
    const req = request(t.app)[method](BASE + path).set('User-Agent', 'api-test/1.0');
    return secret ? req.set('Authorization', `Bearer ${secret}`) : req;
  }

  /** Turns the authenticator app on through the service, as the enrolment page does; returns the secret. */
  async function withTotp(user: Person): Promise<{ user: Person; secret: string }> {
    const { secret, sealed } = t.services.mfa.beginTotpEnrolment(user);
    await t.services.mfa.enableTotp(user, sealed, totpAt(secret, t.clock.now()), ctx, false);
    // The enrolment code's time step is used up: the next code comes from the next step.
    t.clock.advance(STEP);
    return { user: { ...user, mfaEnabled: true }, secret };
  }

  /** The /login form, as a browser posts it. */
  async function signInForm(identifier: string, password: string): Promise<Response> {
    return new Visitor(t.app).submit('/login', { identifier, password });
  }

  return { tokenFor, api, withTotp, signInForm };
}
