import { createDb, type Db } from '../../src/infra/db';
import { isBackendUnavailable } from '../../src/infra/db-errors';
import { PrivatePostgres } from '../helpers/private-postgres';

jest.setTimeout(120_000);

const postgres = new PrivatePostgres();
let db: Db;

beforeAll(async () => {
  await postgres.start();
  db = createDb({ databaseUrl: postgres.url, embeddedDir: 'memory', log: { warn: () => {}, error: () => {} }, timeouts: { connectMs: 1000, statementMs: 2000, acquireMs: 2000 } });
});

afterAll(async () => {
  await db?.destroy();
  await postgres.stop();
});

/**
 * Runs a transaction (as repositories.ts runs each: knex's db.transaction) that PostgreSQL
 * stops under (pg_ctl stop -m immediate) after its first statement, then does `after`;
 * returns what it failed with.
 */
async function cutTransaction(after: 'a statement' | 'nothing more'): Promise<unknown> {
  try {
    await db.transaction(async (trx) => {
      await trx.raw('select 1');
      await postgres.stopImmediately();
      if (after === 'a statement') await trx.raw('select 2');
    });
  } catch (err) {
    return err;
  } finally {
    if (!postgres.accepting()) await postgres.startAgain();
  }
  throw new Error('the transaction committed on a stopped server');
}

/**
 * node-postgres marks a connection that broke as "not queryable"; knex then answers the
 * transaction's ROLLBACK or COMMIT with that, not with the break itself. A request whose
 * change was cut this way is told the service is briefly unavailable (503), not that
 * something went wrong on our side (500).
 */
describe('A transaction PostgreSQL stops under', () => {
  it.each(['a statement', 'nothing more'] as const)('is a back-end outage (503) when the next step is %s', async (after) => {
    const err = await cutTransaction(after);
    expect([String(err), isBackendUnavailable(err)]).toEqual([String(err), true]);
  });
});
