import { createDb, migrateLatest } from '../../src/infra/db';
import { createTestDatabase } from '../helpers/app';

/** Runs only against a real PostgreSQL: processes starting together on one new database. */
describe('Migrating one new database from several processes at the same moment', () => {
  it('brings it up to date once: every process finishes, none fails on the tables another is creating', async () => {
    const database = await createTestDatabase();
    const processes = Array.from({ length: 4 }, () => createDb({ databaseUrl: database.url }));
    try {
      const applied = await Promise.all(processes.map((db) => migrateLatest(db)));
      const ran = applied.filter((names) => names.length > 0);
      expect(ran).toHaveLength(1);
      expect(applied.flat()).toEqual(ran[0]);
    } finally {
      await Promise.all(processes.map((db) => db.destroy()));
      await database.drop();
    }
  });
});
