import { z } from 'zod';
import type { Repos } from '../repos';
import type { User } from '../users/user';
import { twoStepDemandOf, type TwoStepDemand } from './two-step';
import type { AdminPoliciesRepository, StoredPolicy } from './policies.repository';
import { EMAIL_DOMAIN, EMAIL_DOMAINS_MAX, GRACE_DAYS_MAX, POLICY_DEFAULTS, POLICY_NAMES, SIGN_UP_MODES, TWO_STEP_MODES, type PolicyName, type PolicyValues } from './policy-values';

/** Where a policy's value comes from: the environment wins, then the console, then the default. */
export type PolicySource = 'configuration' | 'console' | 'default';

export interface EffectivePolicy<K extends PolicyName = PolicyName> {
  value: PolicyValues[K];
  source: PolicySource;
  /** When an administrator last set it in the console (its stored row), whatever the source. */
  setAt: Date | null;
}

export type EffectivePolicies = { [K in PolicyName]: EffectivePolicy<K> };

/** What a stored value must be to count; a row that is not (written by hand, an older version) is ignored. */
export const POLICY_VALUE_SCHEMAS: { [K in PolicyName]: z.ZodType<PolicyValues[K]> } = {
  two_step: z.enum(TWO_STEP_MODES),
  grace_days: z.number().int().min(0).max(GRACE_DAYS_MAX),
  profile_locked: z.boolean(),
  signup: z.enum(SIGN_UP_MODES),
  signup_email_domains: z.array(z.string().regex(EMAIL_DOMAIN)).max(EMAIL_DOMAINS_MAX),
};

/** The tables this module reads. */
export type PolicyTables = { adminPolicies: AdminPoliciesRepository };

/** Each policy's value from the environment, the stored rows and the defaults. */
export function effectiveFrom(configured: Partial<PolicyValues>, stored: StoredPolicy[], names: readonly PolicyName[] = POLICY_NAMES): Partial<EffectivePolicies> {
  const result: Partial<Record<PolicyName, EffectivePolicy>> = {};
  for (const name of names) {
    const row = stored.find((r) => r.key === name);
    const parsed = row && POLICY_VALUE_SCHEMAS[name].safeParse(row.value);
    const setAt = parsed?.success ? (row as StoredPolicy).updatedAt : null;
    if (configured[name] !== undefined) result[name] = { value: configured[name], source: 'configuration', setAt };
    else if (parsed?.success) result[name] = { value: parsed.data, source: 'console', setAt };
    else result[name] = { value: POLICY_DEFAULTS[name], source: 'default', setAt: null };
  }
  return result as Partial<EffectivePolicies>;
}

/**
 * The policies in force, read when they are needed and never cached, so a change made
 * through any process applies in every process from its next request. A policy the
 * environment sets costs no query at all; the others one lookup by primary key.
 */
export function createPolicies({ repos, configured, localTwoStepFor = () => true }: { repos: Repos<PolicyTables>; configured: Partial<PolicyValues>; localTwoStepFor?: (user: Pick<User, 'source'>) => boolean }) {
  async function read<K extends PolicyName>(...names: K[]): Promise<Pick<EffectivePolicies, K>> {
    const missing = names.filter((name) => configured[name] === undefined);
    const stored = missing.length > 0 ? await repos.adminPolicies.some(missing) : [];
    return effectiveFrom(configured, stored, names) as Pick<EffectivePolicies, K>;
  }

  return {
    configured,
    read,
    async all(): Promise<EffectivePolicies> {
      return effectiveFrom(configured, await repos.adminPolicies.all()) as EffectivePolicies;
    },
    /**
     * No read at all for someone who has a second factor, or who may not set one up here
     * (directory people, when the directory provides its own: LDAP_ALLOW_LOCAL_2FA=false).
     */
    async twoStepDemand(user: Pick<User, 'role' | 'mfaEnabled' | 'createdAt' | 'source'>, now: Date): Promise<TwoStepDemand | null> {
      return user.mfaEnabled || !localTwoStepFor(user) ? null : twoStepDemandOf(user, await read('two_step', 'grace_days'), now);
    },
    async profileLocked(): Promise<boolean> {
      return (await read('profile_locked')).profile_locked.value;
    },
  };
}

export type Policies = ReturnType<typeof createPolicies>;
