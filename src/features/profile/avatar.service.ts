import type { Clock } from '../../infra/clock';
import type { Limiter } from '../../infra/rate-limit';
import type { AvatarsRepository } from '../../core/users/avatars.repository';
import type { UsersRepository } from '../../core/users/users.repository';
import type { Repos } from '../../core/repos';
import type { User } from '../../core/users/user';
import { processAvatar } from '../../core/users/avatar-image';
import { assertProfileEditable } from '../../core/account-state/profile-lock';

/** The tables this module reads and writes. */
type Tables = { avatars: AvatarsRepository; users: UsersRepository };

export type AvatarSize = 'large' | 'small';

export function createAvatarService({ repos, clock, profileLocked, limiter }: { repos: Repos<Tables>; clock: Clock; profileLocked: () => Promise<boolean>; limiter: Limiter }) {
  return {
    /**
     * Cleans and stores an uploaded image; returns the hash it is served under. Decoding
     * costs CPU, so every upload (the page's and the API's) counts against the account.
     */
    async upload(user: User, file: Buffer): Promise<string> {
      assertProfileEditable(user, await profileLocked());
      await limiter.consume(user.id);
      const avatar = await processAvatar(file);
      const now = clock.now();
      await repos.transaction(async (tx) => {
        await tx.avatars.upsert({ userId: user.id, hash: avatar.hash, large: avatar.large, small: avatar.small, now });
        await tx.users.setAvatarHash(user.id, avatar.hash, now);
      });
      return avatar.hash;
    },

    async remove(user: User): Promise<void> {
      assertProfileEditable(user, await profileLocked());
      const now = clock.now();
      await repos.transaction(async (tx) => {
        await tx.avatars.delete(user.id);
        await tx.users.setAvatarHash(user.id, null, now);
      });
    },

    async find(hash: string, size: AvatarSize): Promise<{ bytes: Buffer; mime: string } | undefined> {
      if (!/^[0-9a-f]{64}$/.test(hash)) return undefined;
      const avatar = await repos.avatars.findByHash(hash);
      return avatar && { bytes: size === 'large' ? avatar.large : avatar.small, mime: avatar.mime };
    },
  };
}

export type AvatarService = ReturnType<typeof createAvatarService>;
