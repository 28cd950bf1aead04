import type { Clock } from '../../infra/clock';
import type { UsersRepository } from '../../core/users/users.repository';
import type { Repos } from '../../core/repos';
import type { User } from '../../core/users/user';
import { assertProfileEditable } from '../../core/account-state/profile-lock';
import type { NameInput } from './profile.schemas';

/** The tables this module reads and writes. */
type Tables = { users: UsersRepository };

export function createAccountDetailsService({ repos, clock, profileLocked }: { repos: Repos<Tables>; clock: Clock; profileLocked: () => Promise<boolean> }) {
  return {
    async updateName(user: User, input: NameInput): Promise<void> {
      assertProfileEditable(user, await profileLocked());
      await repos.users.setName(user.id, { firstName: input.first_name, lastName: input.last_name }, clock.now());
    },
  };
}

export type AccountDetailsService = ReturnType<typeof createAccountDetailsService>;
