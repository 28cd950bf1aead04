/**
 * The policies an administrator sets in the console (or the environment sets for them):
 * their names, values and defaults. Imported by the configuration, so it imports nothing.
 */
export const TWO_STEP_MODES = ['off', 'admins', 'everyone'] as const;
export type TwoStepMode = (typeof TWO_STEP_MODES)[number];

export const SIGN_UP_MODES = ['open', 'closed'] as const;
export type SignUpMode = (typeof SIGN_UP_MODES)[number];

export const GRACE_DAYS_MAX = 365;
export const EMAIL_DOMAINS_MAX = 100;

export interface PolicyValues {
  two_step: TwoStepMode;
  /** Days from when two-step verification began to apply to someone until they must set it up at sign-in. */
  grace_days: number;
  profile_locked: boolean;
  signup: SignUpMode;
  /** Domains sign-up accepts addresses from, lower case; empty: any. */
  signup_email_domains: string[];
}

export type PolicyName = keyof PolicyValues;

/** Today's behaviour: nobody is asked for a second factor, profiles are editable, anyone may sign up. */
export const POLICY_DEFAULTS: PolicyValues = { two_step: 'off', grace_days: 0, profile_locked: false, signup: 'open', signup_email_domains: [] };

export const POLICY_NAMES = Object.keys(POLICY_DEFAULTS) as PolicyName[];

/** The environment variable that decides each policy when it is set. */
export const POLICY_ENV: Record<PolicyName, string> = {
  two_step: 'REQUIRE_2FA',
  grace_days: 'TWO_STEP_GRACE_DAYS',
  profile_locked: 'PROFILE_LOCKED',
  signup: 'SIGNUP',
  signup_email_domains: 'SIGNUP_EMAIL_DOMAINS',
};

/** A host name of at least two labels (letters, digits, inner hyphens), as in an email address; lower case. */
export const EMAIL_DOMAIN = /^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
