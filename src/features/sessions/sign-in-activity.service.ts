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

/** The tables this module reads and writes. */
type Tables = NoticeTables & { knownDevices: KnownDevicesRepository };

/**
 * Sign-ins and sign-outs in the activity log, and the new-device notice. A device is
 * known by a digest of its long-lived random cookie, not by its address, so travelling
 * or a VPN does not cause mail, and a new browser always does.
 */
export function createSignInActivity(deps: { repos: Repos<Tables>; notices: SecurityNotices; clock: Clock; background: Background }) {
  const { repos, notices, clock } = deps;
  return {
    /** Every way in ends here, just before the session starts. `firstDevice`: the sign-up itself, not worth a notice. */
    async signedIn(userId: string, method: AuthMethod, ctx: RequestContext, device: { hash: string; firstDevice?: boolean }): Promise<void> {
      const user = await repos.users.findById(userId);
      if (!user) throw new UnauthorizedError();
      if (user.lockedAt) throw new AccountLockedError();
      if (user.passwordResetRequired) throw new PasswordResetRequiredError();
      await repos.transaction(async (tx) => {
        const isNew = await tx.knownDevices.remember(user.id, device.hash, clock.now());
        await tx.users.recordSignIn(user.id, clock.now());
        await notices.record(tx, user, 'sign_in', ctx, isNew ? { method, newDevice: 'true' } : { method });
        if (isNew && !device.firstDevice && user.notifyNewDevice) await notices.notify(tx, user, 'new_device', ctx);
      });
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
