import type { Logger } from './logger';

/**
 * Work a request starts but does not wait for: writes whose duration would otherwise tell
 * an observer something (whether an account exists). Failures are logged, never lost
 * silently; shutdown waits for what is still running.
 */
export function createBackground(logger: Logger) {
  const pending = new Set<Promise<void>>();
  return {
    run(label: string, work: () => Promise<unknown>): void {
      const task: Promise<void> = work()
        .then(
          () => undefined,
          (err: unknown) => logger.warn({ err }, `${label} failed`),
        )
        .finally(() => pending.delete(task));
      pending.add(task);
    },

    /** Resolves once nothing is running (graceful shutdown; tests before they look). */
    async drain(): Promise<void> {
      while (pending.size > 0) await Promise.all([...pending]);
    },
  };
}

export type Background = ReturnType<typeof createBackground>;
