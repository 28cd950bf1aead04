import type { Clock } from './clock';
import type { Db } from './db';

/**
 * How far this process's clock is ahead of the database's (negative: behind), in
 * milliseconds, measured at the middle of the round trip. Every process shares the
 * database's clock, so it is the reference when NTP is off somewhere.
 */
export async function clockOffsetFromDatabase(db: Db, clock: Clock): Promise<number> {
  const before = clock.now().getTime();
  const result = (await db.raw('select (extract(epoch from now()) * 1000)::float8 as ms')) as { rows: Array<{ ms: number }> };
  const after = clock.now().getTime();
  return (before + after) / 2 - Number(result.rows[0]?.ms);
}
