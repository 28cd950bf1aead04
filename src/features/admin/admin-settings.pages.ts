import type { Request, Response } from 'express';
import type { Clock } from '../../infra/clock';
import { formHandler } from '../../http/form';
import { page, signedInUser } from '../../http/pages';
import { renderPage } from '../../http/render';
import { contextOf } from '../../http/request-context';
import { flash } from '../../http/session';
import { URLS } from '../../http/urls';
import { GRACE_DAYS_MAX, POLICY_ENV } from '../../core/policies/policy-values';
import { adminFrame } from './admin-frame';
import { policiesFormSchema, type PolicyChanges } from './admin-policies.schemas';
import type { AdminPoliciesService } from './admin-policies.service';

type PoliciesForm = ReturnType<typeof policiesFormSchema.parse>;

/** The form's fields with every policy the form sends; what the environment sets is shown, not sent. */
export const POLICY_FIELDS = ['two_step', 'grace_days', 'profile_locked', 'signup', 'signup_email_domains'] as const;

/** The console's Policies page: one form with every policy, those set by configuration read-only. */
export function createAdminSettingsPages(deps: { adminPolicies: AdminPoliciesService; configured: Partial<Record<string, unknown>>; clock: Clock }) {
  const view = 'admin/settings';
  const locals = async (req: Request, res: Response) => ({
    ...adminFrame(req, res, deps.clock, 'settings'),
    policies: await deps.adminPolicies.view(),
    envNames: POLICY_ENV,
    graceDaysMax: GRACE_DAYS_MAX,
  });

  /**
   * An unticked checkbox sends nothing, which means "off" unless the environment sets the
   * lock (then the box is not on the form, and its absence changes nothing).
   */
  const changesOf = (input: Partial<PoliciesForm>): PolicyChanges => ({
    two_step: input.two_step,
    grace_days: input.grace_days,
    profile_locked: input.profile_locked === 'on' ? true : deps.configured.profile_locked === undefined ? false : undefined,
    signup: input.signup,
    signup_email_domains: input.signup_email_domains,
  });

  return {
    /** GET /admin/settings: every policy in force and where it comes from. */
    show: page(async (req, res) => {
      await renderPage(res, view, { ...(await locals(req, res)), values: {}, errors: {} });
    }),

    /** POST /admin/settings: stores what changed, one audit row per policy. */
    save: formHandler({
      view,
      schema: policiesFormSchema,
      keep: POLICY_FIELDS,
      locals,
      rules: (valid) => deps.adminPolicies.check(changesOf(valid)),
      handle: async (req, res, input) => {
        await deps.adminPolicies.change(signedInUser(req), changesOf(input), contextOf(req, res));
        flash(req, { type: 'success', key: 'admin.settings.saved' });
        res.redirect(303, URLS.adminSettings);
      },
    }),
  };
}
