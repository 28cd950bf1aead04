/**
 * The floor of a sign-in (run by bench/login.ts in a process of its own, with the same
 * UV_THREADPOOL_SIZE as the service): the password check alone, `concurrency` checks of the
 * same stored hash at a time for `durationMs`, through the same hasher the service uses
 * (HMAC-SHA256 then bcrypt.compare on the libuv pool) but with no limit of its own on how
 * many run at once. Prints {"perSecond": n}.
 */
import { createPasswordHasher } from '../src/features/password/password-hasher';

async function main(): Promise<void> {
  const [stored = '', password = '', concurrency = '1', durationMs = '1000', cost = '12'] = process.argv.slice(2);
  // As many checks at once as there are clients: nothing but the pool limits them.
  const hasher = createPasswordHasher({ cost: Number(cost), concurrency: Number(concurrency) });
  if (!(await hasher.verify(password, stored))) throw new Error('the floor must check the right password');
  let count = 0;
  const started = performance.now();
  const until = started + Number(durationMs);
  await Promise.all(
    Array.from({ length: Number(concurrency) }, async () => {
      while (performance.now() < until) {
        if (!(await hasher.verify(password, stored))) throw new Error('wrong answer');
        count++;
      }
    }),
  );
  console.log(JSON.stringify({ perSecond: count / ((performance.now() - started) / 1000) }));
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
