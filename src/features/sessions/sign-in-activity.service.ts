import type { Clock } from '../../infra/clock';
import type { Background } from '../../infra/background';
import type { AuthMethod } from '../../infra/session-store/session-data';
import { UnauthorizedError } from '../../infra/errors';
import type { RequestContext } from '../../http/request-context';
import type { KnownDevicesRepository } from '../../core/security/known-devices.repository';
import type { Repos } from '../../core/repos';
import { AccountLockedError, PasswordResetRequiredError } from '../../core/account-state/sign-in-errors';
import type { User } from '../../core/users/user';
import type { NoticeTables, SecurityNotices } from '../../core/security/security-notices';
import type { Policies } from '../../core/policies/policies';
import type { TwoStepDemand } from '../../core/policies/two-step';
import type { Links } from '../../http/links';
import type { MailQueue } from '../../infra/mailer/mail-queue';
import { formatWhen } from '../../infra/mailer/mail-dates';

/** The tables this module reads and writes. */
type Tables = NoticeTables & { knownDevices: KnownDevicesRepository };

/**
 * Sign-ins and sign-outs in the activity log, and the new-device notice. A device is
 * known by a digest of its long-lived random cookie, not by its address, so travelling
 * or a VPN does not cause mail, and a new browser always does.
 */
export function createSignInActivity(deps: { repos: Repos<Tables>; notices: SecurityNotices; clock: Clock; background: Background; policies: Policies; mail: MailQueue; links: Links }) {
  const { repos, notices, clock } = deps;

  /** Once per time the two-step policy starts applying to someone: a mail saying what it asks and by when. */
  async function remindOfTwoStep(tx: Tables, user: User, demand: TwoStepDemand, ctx: RequestContext): Promise<void> {
    if (!(await tx.users.claimTwoStepNotice(user.id, demand.since, clock.now()))) return;
    const locale = user.language ?? ctx.locale;
    const deadline = demand.kind === 'reminded' ? formatWhen(demand.deadline, locale) : '';
    await deps.mail.queue(tx.outbox, { to: user.email, template: 'two_step_required', locale, data: { firstName: user.firstName, deadline, link: deps.links.security() } });
  }

  return {
    /**
     * Every way in ends here, just before the session starts. `firstDevice`: the sign-up
     * itself, not worth a notice. Answers what the two-step policy asks of this person,
     * for the session to remember. `provider`: the identity provider's name, for an `oidc` method.
     */
    async signedIn(userId: string, method: AuthMethod, ctx: RequestContext, device: { hash: string; firstDevice?: boolean }, provider?: string): Promise<TwoStepDemand | null> {
      const user = await repos.users.findById(userId);
      if (!user) throw new UnauthorizedError();
      if (user.lockedAt) throw new AccountLockedError();
      if (user.passwordResetRequired) throw new PasswordResetRequiredError();
      const twoStep = await deps.policies.twoStepDemand(user, clock.now());
      await repos.transaction(async (tx) => {
        const isNew = await tx.knownDevices.remember(user.id, device.hash, clock.now());
        await tx.users.recordSignIn(user.id, clock.now());
        const data: Record<string, string> = provider ? { method, provider } : { method };
        await notices.record(tx, user, 'sign_in', ctx, isNew ? { ...data, newDevice: 'true' } : data);
        if (isNew && !device.firstDevice && user.notifyNewDevice) await notices.notify(tx, user, 'new_device', ctx);
        if (twoStep) await remindOfTwoStep(tx, user, twoStep, ctx);
      });
      return twoStep;
    },

    /**
     * A wrong password for an existing account (unknown accounts have no log to write to).
     * Written in the background: waiting for it would make a wrong password for a real
     * account answer a little slower than one for an unknown name.
     */
    failed(user: User, ctx: RequestContext): void {
      deps.background.run('recording a failed sign-in', () => repos.transaction((tx) => notices.record(tx, user, 'sign_in_failed', ctx)));
    },

    /** The one notice people may mute (Preferences tab); the others always go out. */
    async setNewDeviceNotices(user: User, on: boolean): Promise<void> {
      await repos.users.setNotifyNewDevice(user.id, on, clock.now());
    },

    async signedOut(user: User, ctx: RequestContext): Promise<void> {
      await repos.transaction((tx) => notices.record(tx, user, 'sign_out', ctx));
    },
  };
}

export type SignInActivity = ReturnType<typeof createSignInActivity>;
