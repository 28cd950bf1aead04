import type { User } from '../users/user';
import type { TwoStepMode } from './policy-values';

/** The two policies it takes, as the policies module reads them. */
interface TwoStepPolicy {
  two_step: { value: TwoStepMode; source: string; setAt: Date | null };
  grace_days: { value: number };
}

const DAY_MS = 86_400_000;

/**
 * What the two-step policy asks of one person now: nothing; a reminder until `deadline`;
 * or, the grace period over, that they set up a second factor at sign-in.
 */
export type TwoStepDemand = { kind: 'reminded'; since: Date; deadline: Date } | { kind: 'required'; since: Date };

/**
 * The grace period counts from when the policy was set in the console, or from the
 * account's creation when that is later. A policy set by the environment has no date:
 * its grace period counts from each account's creation.
 */
export function twoStepDemandOf(user: Pick<User, 'role' | 'mfaEnabled' | 'createdAt'>, policy: TwoStepPolicy, now: Date): TwoStepDemand | null {
  const mode = policy.two_step.value;
  if (user.mfaEnabled || mode === 'off' || (mode === 'admins' && user.role !== 'admin')) return null;
  const setAt = policy.two_step.source === 'console' ? policy.two_step.setAt : null;
  const since = setAt && setAt > user.createdAt ? setAt : user.createdAt;
  const deadline = new Date(since.getTime() + policy.grace_days.value * DAY_MS);
  return now < deadline ? { kind: 'reminded', since, deadline } : { kind: 'required', since };
}
