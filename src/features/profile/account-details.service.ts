import type { Clock } from '../../infra/clock';
import type { Repositories } from '../../repositories';
import type { User } from '../users/user';
import { assertProfileEditable } from './profile-lock';
import type { NameInput } from './profile.schemas';

export function createAccountDetailsService({ repos, clock, profileLocked }: { repos: Repositories; clock: Clock; profileLocked: boolean }) {
  return {
    async updateName(user: User, input: NameInput): Promise<void> {
      assertProfileEditable(user, profileLocked);
      await repos.users.setName(user.id, { firstName: input.first_name, lastName: input.last_name }, clock.now());
    },
  };
}

export type AccountDetailsService = ReturnType<typeof createAccountDetailsService>;
