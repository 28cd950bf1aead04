import { z } from 'zod';
import { OPERATIONS } from '../../core/operations';
import type { EffectivePolicies } from '../../core/policies/policies';
import { POLICY_ENV, POLICY_NAMES, SIGN_UP_MODES, TWO_STEP_MODES } from '../../core/policies/policy-values';
import { callOf, checkedBodyOf, type ApiEndpoint } from '../../http/api/api-endpoint';
import { iso } from '../../http/api/api-schemas';
import { policiesBodySchema } from './admin-policies.schemas';
import type { AdminPoliciesService } from './admin-policies.service';

const source = z.enum(['configuration', 'console', 'default']).describe('configuration: the environment variable sets it (and it cannot be changed here); console: an administrator set it; default: nobody did');

const policyOf = <T extends z.ZodType>(value: T) =>
  z.object({ value, source, environment_variable: z.string(), set_at: z.string().nullable().describe('When an administrator last stored it in the console') });

export const policiesResponse = z.object({
  two_step: policyOf(z.enum(TWO_STEP_MODES)),
  grace_days: policyOf(z.number().int()),
  profile_locked: policyOf(z.boolean()),
  signup: policyOf(z.enum(SIGN_UP_MODES)),
  signup_email_domains: policyOf(z.array(z.string())),
});

function policiesView(policies: EffectivePolicies): z.infer<typeof policiesResponse> {
  return Object.fromEntries(
    POLICY_NAMES.map((name) => [name, { value: policies[name].value, source: policies[name].source, environment_variable: POLICY_ENV[name], set_at: iso(policies[name].setAt) }]),
  ) as z.infer<typeof policiesResponse>;
}

/** /admin/policies: the Policies page's two operations. */
export function adminPoliciesApi(deps: { adminPolicies: AdminPoliciesService }): ApiEndpoint[] {
  const change: ApiEndpoint = {
    method: 'put',
    path: '/admin/policies',
    operationId: 'changePolicies',
    operation: OPERATIONS.adminChangePolicies,
    summary: 'Change policies (only those sent; one audit entry per change)',
    tag: 'Administration',
    body: policiesBodySchema,
    rules: (valid: z.infer<typeof policiesBodySchema>) => deps.adminPolicies.check(valid),
    responses: { 200: { description: 'The policies now in force', schema: policiesResponse }, 422: { description: 'A value is not valid, or the environment sets that policy' } },
    /** PUT /api/v1/admin/policies */
    handler: async (req, res) => {
      const { user, ctx } = callOf(req, res);
      await deps.adminPolicies.change(user, checkedBodyOf(change, policiesBodySchema, req), ctx);
      res.json(policiesView(await deps.adminPolicies.view()));
    },
  };
  return [
    {
      method: 'get',
      path: '/admin/policies',
      operationId: 'listPolicies',
      operation: OPERATIONS.adminViewPolicies,
      summary: 'The policies in force, and where each comes from',
      tag: 'Administration',
      responses: { 200: { description: 'Every policy', schema: policiesResponse } },
      /** GET /api/v1/admin/policies */
      handler: async (_req, res) => {
        res.json(policiesView(await deps.adminPolicies.view()));
      },
    },
    change,
  ];
}
