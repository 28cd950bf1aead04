import fs from 'node:fs';
import os from 'node:os';

const TICKS_PER_SECOND = 100;

/** CPU seconds (user + system) a process has used so far; 0 once it is gone. */
function cpuSecondsOf(pid: number): number {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
  } catch {
    return 0;
  }
}

/** CPU seconds the whole machine has been busy (all cores; idle and I/O wait excluded). */
function machineBusySeconds(): number {
  const [, user, nice, system, , , irq, softirq, steal] = fs.readFileSync('/proc/stat', 'utf8').split('\n')[0]?.trim().split(/\s+/).map(Number) ?? [];
  return ((user ?? 0) + (nice ?? 0) + (system ?? 0) + (irq ?? 0) + (softirq ?? 0) + (steal ?? 0)) / TICKS_PER_SECOND;
}

function pidsNamed(name: string): number[] {
  return fs
    .readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .filter((pid) => {
      try {
        return fs.readFileSync(`/proc/${pid}/comm`, 'utf8').trim() === name;
      } catch {
        return false;
      }
    })
    .map(Number);
}

/**
 * Who used the machine's CPU while `work` ran, as shares of all cores: the service, the
 * load generator (this process), PostgreSQL, Redis, and everything else running on the
 * machine. Linux only (reads /proc); elsewhere every share is 0.
 */
export async function cpuShares<T>(servicePids: () => number[], work: () => Promise<T>): Promise<{ result: T; shares: Record<string, number> }> {
  const groups: Record<string, () => number[]> = { service: servicePids, loadGenerator: () => [process.pid], postgres: () => pidsNamed('postgres'), redis: () => pidsNamed('redis-server') };
  const sample = (): Record<string, number> => {
    const used = Object.fromEntries(Object.entries(groups).map(([name, pids]) => [name, pids().reduce((sum, pid) => sum + cpuSecondsOf(pid), 0)]));
    return { ...used, everythingElse: machineBusySeconds() - Object.values(used).reduce((a, b) => a + b, 0) };
  };
  const before = sample();
  const started = performance.now();
  const result = await work();
  const seconds = (performance.now() - started) / 1000;
  const after = sample();
  const capacity = seconds * os.availableParallelism();
  const shares = Object.fromEntries([...Object.keys(groups), 'everythingElse'].map((name) => [name, Math.round((((after[name] ?? 0) - (before[name] ?? 0)) / capacity) * 1000) / 1000]));
  return { result, shares };
}

/** "service 80%, loadGenerator 5%, ..." */
export function describeShares(shares: Record<string, number>): string {
  return Object.entries(shares)
    .map(([name, share]) => `${name} ${Math.round(share * 100)}%`)
    .join(', ');
}
