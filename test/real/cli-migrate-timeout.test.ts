// A migration may wait and work for longer than a request may: the statement timeout that
// protects pages from a hung PostgreSQL must not cancel `npm run cli -- migrate`.
import { runCli } from '../../src/cli/run';
import { createDb } from '../../src/infra/db';
import { createTestDatabase } from '../helpers/app';

jest.setTimeout(120_000);

let database: { url: string; drop(): Promise<void> };
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => database.drop());

async function cli(args: string[], env: Record<string, string>) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(args, { out: (text) => out.push(text), err: (text) => err.push(text) }, { NODE_ENV: 'test', LOG_LEVEL: 'silent', DATABASE_URL: database.url, ...env });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

describe('npm run cli -- migrate with a short DATABASE_STATEMENT_TIMEOUT_MS', () => {
  it('waits for a table another connection holds longer than the timeout, and then applies the migration', async () => {
    const other = createDb({ databaseUrl: database.url });
    try {
      await other.migrate.latest();
      const [, [pending]] = (await other.migrate.down()) as [number, string[]];
      expect(pending).toMatch(/^\d+_\w+$/);
      const holder = other.transaction(async (trx) => {
        await trx.raw('lock table security_events, known_devices, one_time_tokens, mail_outbox, users in access exclusive mode');
        await new Promise((resolve) => setTimeout(resolve, 2_500));
      });
      await new Promise((resolve) => setTimeout(resolve, 300));
      const migrated = await cli(['migrate'], { DATABASE_STATEMENT_TIMEOUT_MS: '500' });
      await holder;
      expect({ code: migrated.code, out: migrated.out, err: migrated.err }).toEqual({ code: 0, out: `Applied: ${pending}`, err: '' });
    } finally {
      await other.destroy();
    }
  });
});
