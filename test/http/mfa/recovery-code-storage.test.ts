import bcrypt from 'bcrypt';
import { describeApp } from '../../helpers/app';
import { createUser } from '../../helpers/factories';
import { totpAt } from '../../helpers/totp';

const ctx = { ip: '127.0.0.1', userAgent: 'test', locale: 'en' as const };
const BCRYPT = /\$2[aby]\$(\d\d)\$([./A-Za-z0-9]{22})([./A-Za-z0-9]{31})/g;

const t = describeApp();

/**
 * Everything the database holds about one account outside its own row, as text: the rows
 * of every table with a user_id, and of every table that refers to the account's
 * authenticators. Wherever the codes are kept, they are in here.
 */
async function rowsAbout(userId: string): Promise<string> {
  const db = t.deps.db;
  const tables = await db('information_schema.columns').where({ column_name: 'user_id' }).whereRaw('table_schema = current_schema()').pluck('table_name');
  const rows = await Promise.all(tables.map(async (table: string) => [table, await db(table).where({ user_id: userId })]));
  const children = (await db.raw(`
    select kcu.table_name, kcu.column_name
    from information_schema.table_constraints tc
    join information_schema.key_column_usage kcu on kcu.constraint_name = tc.constraint_name and kcu.table_schema = tc.table_schema
    join information_schema.constraint_column_usage ccu on ccu.constraint_name = tc.constraint_name and ccu.table_schema = tc.table_schema
    where tc.constraint_type = 'FOREIGN KEY' and ccu.table_name = 'authenticators' and tc.table_schema = current_schema()`)) as { rows: Array<{ table_name: string; column_name: string }> };
  expect(children.rows.length).toBeGreaterThan(0);
  const ids = db('authenticators').where({ user_id: userId }).select('id');
  for (const { table_name, column_name } of children.rows) rows.push([table_name, await db(table_name).whereIn(column_name, ids.clone())]);
  return JSON.stringify(rows);
}

describe('Recovery codes at rest', () => {
  it('are kept only as bcrypt digests with their own salts, one per code, and never as text', async () => {
    const user = await createUser(t);
    const { secret, sealed } = t.services.mfa.beginTotpEnrolment(user);
    const codes = await t.services.mfa.enableTotp(user, sealed, totpAt(secret, t.clock.now()), ctx, false);
    expect(codes).toHaveLength(10);

    const stored = await rowsAbout(user.id);
    for (const code of codes) {
      for (const spelling of [code, code.replace('-', ''), code.toUpperCase()]) expect({ code: spelling, stored: stored.includes(spelling) }).toEqual({ code: spelling, stored: false });
    }
    const digests = [...stored.matchAll(BCRYPT)];
    expect(digests).toHaveLength(10);
    for (const [, cost] of digests) expect(Number(cost)).toBe(Math.min(t.config.bcryptCost, 10));
    expect(new Set(digests.map(([, , salt]) => salt)).size).toBe(10);
    // Each code has exactly one digest of its own.
    for (const code of codes) {
      const matches = await Promise.all(digests.map(([digest]) => bcrypt.compare(code.replace('-', ''), digest)));
      expect({ code, matches: matches.filter(Boolean).length }).toEqual({ code, matches: 1 });
    }

    const fresh = await t.services.mfa.regenerateRecoveryCodes({ ...user, mfaEnabled: true }, ctx, false);
    const after = [...(await rowsAbout(user.id)).matchAll(BCRYPT)].map(([digest]) => digest);
    expect(after).toHaveLength(10);
    expect(after.filter((digest) => digests.some(([old]) => old === digest))).toEqual([]);
    for (const code of fresh) {
      const matches = await Promise.all(after.map((digest) => bcrypt.compare(code.replace('-', ''), digest)));
      expect({ code, matches: matches.filter(Boolean).length }).toEqual({ code, matches: 1 });
    }
  });
});
