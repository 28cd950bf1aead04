import fs from 'node:fs';
import path from 'node:path';
import { defaultConfig, defaultEnv } from '../../../src/config';
import { rateLimits } from '../../../src/core/rate-limits';
import { CONTEXT_WORDS } from '../../../src/features/password/password-policy';

const root = path.join(__dirname, '..', '..', '..');
const read = (file: string) => fs.readFileSync(path.join(root, file), 'utf8');

/** Table rows whose first cell is `code`: [name, other cells...]. */
function codeRows(markdown: string): string[][] {
  return markdown
    .split('\n')
    .filter((line) => /^\|\s*`[^`]+`\s*\|/.test(line))
    .map((line) => line.split('|').slice(1, -1).map((cell) => cell.trim().replace(/^`|`$/g, '')));
}

describe('SECURITY.md', () => {
  const doc = read('SECURITY.md');
  const defaults = defaultEnv();

  it('states every setting default as the code has it', () => {
    const rows = codeRows(doc).filter(([name]) => name !== undefined && name in defaults);
    expect(rows.length).toBeGreaterThanOrEqual(10);
    for (const [name, value] of rows) expect({ name, value }).toEqual({ name, value: defaults[name as string] });
  });

  it('states every rate limit as the code has it', () => {
    const limits = Object.values(rateLimits(defaultConfig()));
    const rows = codeRows(doc).filter(([name]) => limits.some((l) => l.name === name));
    expect(rows.map(([name]) => name).sort()).toEqual(limits.map((l) => l.name).sort());
    for (const [name, , points, window] of rows) {
      const limit = limits.find((l) => l.name === name);
      expect({ name, points: Number(points), window: Number(window) }).toEqual({ name, points: limit?.points, window: limit?.windowSeconds });
    }
  });

  it('lists exactly the context words the password policy uses', () => {
    const block = /<!-- context-words -->([\s\S]*?)<!-- \/context-words -->/.exec(doc)?.[1] ?? '';
    const words = [...block.matchAll(/`([^`]+)`/g)].map((m) => m[1]);
    expect(words).toEqual(CONTEXT_WORDS);
  });

  it('quotes the numbers of the timeouts in its prose as the code has them', () => {
    const config = defaultConfig();
    expect(doc).toContain(`| \`SESSION_IDLE_MINUTES\` | ${config.sessionIdleMs / 60_000} |`);
    expect(doc).toContain(`| \`SESSION_ABSOLUTE_HOURS\` | ${config.sessionAbsoluteMs / 3_600_000} |`);
    expect(doc).toContain(`at least \`PASSWORD_MIN_LENGTH\` characters (default ${config.passwordMinLength}), at most ${config.passwordMaxLength}`);
    expect(doc).toContain(`cost \`BCRYPT_COST\` (default ${config.bcryptCost})`);
  });
});
