import type { TestApp } from '../../helpers/app';
import { createUser } from '../../helpers/factories';
import type { PolicyValues } from '../../../src/core/policies/policy-values';

/** An administrator sets policies through the console's service (the page and the API call it too). */
export async function setPolicies(t: TestApp, changes: Partial<PolicyValues>): Promise<void> {
  const admin = await createUser(t, { admin: true });
  await t.services.adminPolicies.change(admin, changes, { ip: '127.0.0.1', userAgent: 'test' });
}
