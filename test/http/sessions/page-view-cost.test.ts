import { createClient } from 'redis';
import { describeApp } from '../../helpers/app';
import { createUser, signedIn } from '../../helpers/factories';

const t = describeApp();

/** Records every SQL statement, and with Redis every command on our keys, during `work`. */
async function observe(work: () => Promise<unknown>) {
  const sql: string[] = [];
  const listener = (q: { sql: string }) => sql.push(q.sql);
  t.deps.db.on('query', listener);
  const redisCommands: string[] = [];
  const monitor = t.config.redisUrl ? createClient({ url: t.config.redisUrl }) : undefined;
  if (monitor) {
    await monitor.connect();
    await monitor.monitor((line: string) => {
      if (line.includes(t.config.redisKeyPrefix)) redisCommands.push(line);
    });
  }
  await work();
  t.deps.db.off('query', listener);
  if (monitor) {
    await new Promise((r) => setTimeout(r, 100));
    monitor.destroy();
  }
  return { sql, redisCommands };
}

describe('What a signed-in page view costs', () => {
  it('one session read and one database query (the user), and no writes', async () => {
    const user = await createUser(t);
    const visitor = await signedIn(t, user);
    await visitor.get('/');
    const { sql, redisCommands } = await observe(() => visitor.get('/'));

    const writes = sql.filter((q) => /^\s*(insert|update|delete)/i.test(q));
    expect(writes).toEqual([]);
    const userQueries = sql.filter((q) => /from "users"/.test(q));
    expect(userQueries).toHaveLength(1);
    if (t.config.redisUrl) {
      expect(sql).toHaveLength(1);
      expect(redisCommands).toHaveLength(1);
      expect(redisCommands[0]).toMatch(/"get"/i);
    } else {
      // The embedded default keeps sessions in the same database: the session read is the other query.
      expect(sql).toHaveLength(2);
      expect(sql.filter((q) => /from "sessions"/.test(q))).toHaveLength(1);
    }
  });

  it('records activity at most once a minute', async () => {
    const user = await createUser(t);
    const visitor = await signedIn(t, user);
    t.clock.advance(61_000);
    const first = await observe(() => visitor.get('/'));
    const second = await observe(() => visitor.get('/'));
    const writesIn = (o: { sql: string[]; redisCommands: string[] }) =>
      o.sql.filter((q) => /^\s*(insert|update)/i.test(q)).length + o.redisCommands.filter((c) => /"(set|expire|zadd)"/i.test(c)).length;
    expect(writesIn(first)).toBeGreaterThan(0);
    expect(writesIn(second)).toBe(0);
  });
});
