import { isDeepStrictEqual } from 'node:util';
import type { Clock } from '../../infra/clock';
import { ValidationError, type FieldErrors } from '../../infra/errors';
import type { RequestContext } from '../../http/request-context';
import type { Repos } from '../../core/repos';
import { effectiveFrom, type EffectivePolicies, type PolicyTables, type Policies } from '../../core/policies/policies';
import { EMAIL_DOMAIN, POLICY_ENV, POLICY_NAMES, type PolicyName } from '../../core/policies/policy-values';
import type { AdminAuditRepository } from './admin-audit.repository';
import type { PolicyChanges } from './admin-policies.schemas';

/** The tables this module reads and writes. */
type Tables = PolicyTables & { adminAudit: AdminAuditRepository };

type Administrator = { id: string; username: string };

/**
 * The console's policies: what is in force and where it comes from, and changing those the
 * environment leaves to the console. The page and the API call the same two functions.
 */
export function createAdminPoliciesService({ repos, clock, policies }: { repos: Repos<Tables>; clock: Clock; policies: Policies }) {
  /**
   * The rules beyond each field's type, over whichever fields are valid: every domain must
   * be one (the first that is not is named), and a policy the environment sets cannot be
   * changed here (sending the value in force is no change, so a body read back is accepted).
   */
  function check(changes: PolicyChanges): FieldErrors {
    const errors: FieldErrors = {};
    const bad = changes.signup_email_domains?.find((domain) => !EMAIL_DOMAIN.test(domain));
    if (bad !== undefined) errors.signup_email_domains = { key: 'admin.settings.errors.domainInvalid', params: { domain: bad.slice(0, 60) } };
    for (const name of POLICY_NAMES) {
      const configured = policies.configured[name];
      if (changes[name] !== undefined && configured !== undefined && !isDeepStrictEqual(changes[name], configured)) {
        errors[name] = { key: 'admin.settings.errors.configured', params: { variable: POLICY_ENV[name] } };
      }
    }
    return errors;
  }

  return {
    check,

    /** Every policy in force, with its source. */
    view(): Promise<EffectivePolicies> {
      return policies.all();
    },

    /**
     * Stores the policies that change, each with one audit row saying what it was and what
     * it became, all in one transaction; the table is locked against other changes until
     * then, so two administrators saving at once apply one after the other. Answers which
     * policies changed.
     */
    async change(admin: Administrator, changes: PolicyChanges, ctx: Pick<RequestContext, 'ip' | 'userAgent'>): Promise<PolicyName[]> {
      ValidationError.throwIfAny(check(changes));
      const now = clock.now();
      return repos.transaction(async (tx) => {
        const before = effectiveFrom({}, await tx.adminPolicies.allForChange());
        const changed: PolicyName[] = [];
        for (const name of POLICY_NAMES) {
          const value = changes[name];
          if (value === undefined || policies.configured[name] !== undefined || isDeepStrictEqual(value, before[name]?.value)) continue;
          await tx.adminPolicies.set(name, value, admin.id, now);
          await tx.adminAudit.record({ actor: admin, action: 'policy_changed', ip: ctx.ip, userAgent: ctx.userAgent, data: { policy: name, from: before[name]?.value, to: value }, now });
          changed.push(name);
        }
        return changed;
      });
    },
  };
}

export type AdminPoliciesService = ReturnType<typeof createAdminPoliciesService>;
