/**
 * Runs `attempt` for each of `count` callers at the same moment (no await between the
 * starts), as people pressing a button in several browsers at once would.
 */
export function atOnce<T>(count: number, attempt: (index: number) => Promise<T>): Promise<T[]> {
  return Promise.all(Array.from({ length: count }, (_, index) => attempt(index)));
}

/** How many answers had one of these statuses. */
export function countStatus(answers: Array<{ status: number }>, ...statuses: number[]): number {
  return answers.filter((a) => statuses.includes(a.status)).length;
}

/**
 * How many answers refused the request with a 4xx. Which refusal depends on timing: a
 * request that arrives after the winner has rotated the session no longer passes CSRF.
 */
export function countRefused(answers: Array<{ status: number }>): number {
  return answers.filter((a) => a.status >= 400 && a.status < 500).length;
}
