import type { Clock } from '../../infra/clock';
import type { Locale } from '../../infra/i18n';
import type { UsersRepository } from '../../core/users/users.repository';
import type { Repos } from '../../core/repos';
import type { ThemeChoice } from './appearance.schemas';

/** The tables this module reads and writes. */
type Tables = { users: UsersRepository };

export function createAppearanceService({ repos, clock }: { repos: Repos<Tables>; clock: Clock }) {
  return {
    /** Saves language and theme on the account; emails and every device follow it. "auto" follows the device. */
    async save(userId: string, choice: { language?: Locale; theme?: ThemeChoice }): Promise<void> {
      if (!choice.language && !choice.theme) return;
      const theme = choice.theme === undefined ? undefined : choice.theme === 'auto' ? null : choice.theme;
      await repos.users.setAppearance(userId, { language: choice.language, theme }, clock.now());
    },
  };
}

export type AppearanceService = ReturnType<typeof createAppearanceService>;
