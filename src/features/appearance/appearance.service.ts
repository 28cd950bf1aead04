import type { Clock } from '../../infra/clock';
import type { Locale } from '../../infra/i18n';
import type { Repositories } from '../../repositories';
import type { Theme } from '../users/user';

export function createAppearanceService({ repos, clock }: { repos: Repositories; clock: Clock }) {
  return {
    /** Saves language and theme on the account; emails and every device follow it. */
    async save(userId: string, choice: { language?: Locale; theme?: Theme }): Promise<void> {
      if (!choice.language && !choice.theme) return;
      await repos.users.setAppearance(userId, choice, clock.now());
    },
  };
}

export type AppearanceService = ReturnType<typeof createAppearanceService>;
