import { createSlots, defaultThreadPoolSize, hashingSlots } from '../../../src/infra/thread-pool';

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('The thread pool is sized so that hashing never starves file reads and DNS lookups', () => {
  it('gives each worker one thread per core it has, plus one that hashes never take', () => {
    expect(defaultThreadPoolSize(2, 1)).toBe(3);
    expect(defaultThreadPoolSize(8, 2)).toBe(5);
    expect(defaultThreadPoolSize(2, 4)).toBe(2);
    expect(hashingSlots(3)).toBe(2);
    expect(hashingSlots(2)).toBe(1);
  });

  it('runs at most the limit of tasks at once, in the order they came, and hands a freed slot to the next in line', async () => {
    const slot = createSlots(2);
    let running = 0;
    let most = 0;
    const started: number[] = [];
    const finishers: Array<() => void> = [];
    const tasks = Array.from({ length: 5 }, (_, i) =>
      slot(async () => {
        started.push(i);
        running++;
        most = Math.max(most, running);
        await new Promise<void>((resolve) => finishers.push(resolve));
        running--;
        return i;
      }),
    );
    await tick();
    expect(started).toEqual([0, 1]);
    finishers.shift()?.();
    // A task arriving just as a slot frees up waits behind the queue.
    const late = slot(async () => {
      started.push(99);
      return 99;
    });
    while (finishers.length > 0 || started.length < 5) {
      await tick();
      finishers.shift()?.();
    }
    expect(await Promise.all([...tasks, late])).toEqual([0, 1, 2, 3, 4, 99]);
    expect(started).toEqual([0, 1, 2, 3, 4, 99]);
    expect(most).toBe(2);
  });

  it('frees the slot of a task that fails', async () => {
    const slot = createSlots(1);
    await expect(slot(() => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    await expect(slot(() => Promise.resolve('next'))).resolves.toBe('next');
  });
});
