import fs from 'node:fs';
import path from 'node:path';
import { defaultEnv } from '../../../src/config';

const readme = fs.readFileSync(path.join(__dirname, '..', '..', '..', 'README.md'), 'utf8');

describe('README', () => {
  it('starts with the two commands a newcomer runs', () => {
    const firstBlock = /```sh\n([\s\S]*?)```/.exec(readme)?.[1] ?? '';
    expect(firstBlock).toMatch(/npm install && npm start/);
    expect(firstBlock).toMatch(/npm test/);
  });

  it('documents every configuration variable with its real default', () => {
    const rows = new Map(
      readme
        .split('\n')
        .filter((line) => /^\| `[A-Z0-9_]+` \|/.test(line))
        // A cell writes a literal | as \| (GitHub's table syntax), as LDAP_USER_FILTER's default needs.
        .map((line) => line.split(/(?<!\\)\|/).slice(1, -1).map((c) => c.trim().replaceAll('\\|', '|')))
        .map(([name, value]) => [name?.replace(/`/g, '') as string, value as string]),
    );
    for (const [name, value] of Object.entries(defaultEnv())) {
      expect({ name, documented: rows.has(name) }).toEqual({ name, documented: true });
      if (value !== undefined) expect({ name, value: rows.get(name) }).toEqual({ name, value });
    }
  });
});
