/** The source of "now" for every rule that depends on time; tests swap in a settable one. */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

export interface SettableClock extends Clock {
  set(date: Date | string): void;
  advance(ms: number): void;
}

export function createSettableClock(start: Date | string = new Date()): SettableClock {
  let current = new Date(start).getTime();
  return {
    now: () => new Date(current),
    set: (date) => {
      current = new Date(date).getTime();
    },
    advance: (ms) => {
      current += ms;
    },
  };
}
