/**
 * libuv's thread pool runs password hashes, file reads and DNS lookups, from one queue.
 * Hashing gets one thread per core of this worker, so sign-ins use the machine's CPU and
 * no more; the pool has one thread beyond that, and hashes never take it (see
 * `createSlots`), so a file read or the DNS lookup of a new database connection never
 * waits behind a queue of hashes during a sign-in flood.
 */
export function defaultThreadPoolSize(cores: number, workers: number): number {
  return Math.max(1, Math.floor(cores / workers)) + 1;
}

/** How many password hashes may run at once in a pool of this size. */
export function hashingSlots(poolSize: number): number {
  return Math.max(1, poolSize - 1);
}

/** Runs at most `limit` tasks at once; the others wait their turn, first come first served. */
export function createSlots(limit: number) {
  let running = 0;
  const waiting: Array<() => void> = [];
  // A finished task hands its slot straight to the next in line, so none can jump the queue.
  const release = () => {
    const next = waiting.shift();
    if (next) next();
    else running--;
  };
  return async <T>(task: () => Promise<T>): Promise<T> => {
    if (running >= limit) await new Promise<void>((resolve) => waiting.push(resolve));
    else running++;
    try {
      return await task();
    } finally {
      release();
    }
  };
}
