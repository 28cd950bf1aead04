import crypto from 'node:crypto';
import type { User } from '../../src/core/users/user';
import { Visitor } from './browser-agent';
import type { TestApp } from './app';

/** A password that passes the policy and is easy to read in a test. */
export const GOOD_PASSWORD = 'violet tractor umbrella 71';

let counter = 0;

export interface UserSpec {
  username?: string;
  email?: string;
  firstName?: string;
  lastName?: string;
  password?: string;
  language?: 'en' | 'de' | 'sr' | 'sr-Cyrl';
  /** The primary address counts as verified, as if its link had been followed. */
  emailVerified?: boolean;
  /** An administrator (the console is theirs). */
  admin?: boolean;
}

/** Creates an account directly through the repository (fast; no policy, no mail). */
export async function createUser(t: TestApp, spec: UserSpec = {}): Promise<User & { password: string }> {
  counter += 1;
  const tag = `${counter}${crypto.randomBytes(2).toString('hex')}`;
  const password = spec.password ?? GOOD_PASSWORD;
  const user = await t.repos.users.insert({
    username: spec.username ?? `user${tag}`,
    email: spec.email ?? `user${tag}@example.com`,
    firstName: spec.firstName ?? 'Jane',
    lastName: spec.lastName ?? 'Doe',
    passwordHash: await t.services.hasher.hash(password),
    language: spec.language ?? 'en',
    theme: null,
    now: t.clock.now(),
  });
  if (spec.admin) {
    await t.repos.users.setRole(user.id, 'admin', t.clock.now());
    user.role = 'admin';
  }
  if (!spec.emailVerified) return { ...user, password };
  await t.repos.users.markEmailVerified(user.id, user.email, t.clock.now());
  return { ...user, emailVerifiedAt: t.clock.now(), password };
}

/** A browser that has signed in through the login form. */
export async function signedIn(t: TestApp, user: { username: string; password: string }, userAgent?: string): Promise<Visitor> {
  const visitor = new Visitor(t.app, userAgent);
  const res = await visitor.submit('/login', { identifier: user.username, password: user.password });
  if (res.status !== 303) throw new Error(`Sign-in failed with ${res.status}`);
  return visitor;
}
