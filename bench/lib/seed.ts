import { createClient } from 'redis';
import { createApp } from '../../src/app';
import { loadConfig } from '../../src/config';
import { closeDeps, createDeps } from '../../src/deps';
import { createPasswordHasher } from '../../src/features/password/password-hasher';

export const BENCH_PASSWORD = 'correct horse battery staple 42';

/**
 * Accounts `bench0`..`bench<n-1>` in the service's database, through its own repositories,
 * all with the same stored hash of BENCH_PASSWORD at the service's cost. Returns that hash
 * and the accounts' ids.
 */
export async function seedAccounts(env: Record<string, string>, count: number): Promise<{ passwordHash: string; ids: string[] }> {
  const config = loadConfig(env);
  const deps = await createDeps(config, { skipMigrations: true });
  try {
    const passwordHash = await createPasswordHasher({ cost: config.bcryptCost }).hash(BENCH_PASSWORD);
    const { repos } = createApp(deps);
    const ids: string[] = [];
    for (let i = 0; i < count; i++) {
      const { id } = await repos.users.insert({ username: `bench${i}`, email: `bench${i}@example.com`, firstName: 'Ana', lastName: `Petrović ${i}`, passwordHash, language: 'en', theme: null, now: new Date() });
      ids.push(id);
    }
    return { passwordHash, ids };
  } finally {
    await closeDeps(deps);
  }
}

/** Removes what a run left in Redis under its key prefix. */
export async function removeRedisKeys(url: string, prefix: string): Promise<void> {
  const client = createClient({ url });
  await client.connect();
  try {
    for await (const batch of client.scanIterator({ MATCH: `${prefix}*`, COUNT: 1000 })) if (batch.length > 0) await client.unlink(batch);
  } finally {
    client.destroy();
  }
}
