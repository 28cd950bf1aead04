import fs from 'node:fs';
import path from 'node:path';
import { migrations } from '../../migrations';

describe('Migrations', () => {
  it('lists every migration file, in order, each reversible', () => {
    const files = fs
      .readdirSync(path.join(__dirname, '..', '..', 'migrations'))
      .filter((f) => /^\d{14}_\w+\.ts$/.test(f))
      .map((f) => f.replace(/\.ts$/, ''))
      .sort();
    expect(Object.keys(migrations)).toEqual(files);
    for (const migration of Object.values(migrations)) {
      expect(typeof migration.up).toBe('function');
      expect(typeof migration.down).toBe('function');
    }
  });
});
