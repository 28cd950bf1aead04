import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** BENCH_QUICK=1: small worlds and short rounds, for a quick look; its results are not baselines. */
export const QUICK = process.env.BENCH_QUICK === '1';

/** A knob from the environment, with one default for the full run and one for BENCH_QUICK. */
export function knob(name: string, full: number, quick: number): number {
  const value = process.env[name];
  return value === undefined || value === '' ? (QUICK ? quick : full) : Number(value);
}

export const round = (n: number, digits = 3) => Math.round(n * 10 ** digits) / 10 ** digits;
export const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] as number;

export function percentile(values: number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] as number;
}

/** The machine a result was measured on: results from different machines do not compare. */
export function machine() {
  return { cores: os.availableParallelism(), cpu: os.cpus()[0]?.model, memoryGiB: Math.round(os.totalmem() / 2 ** 30), node: process.version };
}

/** The commit measured, marked "+changes" when the working tree differs from it. */
export function commitMeasured(): string {
  const git = (...args: string[]) => execFileSync('git', args, { cwd: path.join(__dirname, '..', '..'), encoding: 'utf8' }).trim();
  try {
    return git('rev-parse', 'HEAD') + (git('status', '--porcelain', '--untracked-files=no') ? '+changes' : '');
  } catch {
    return 'unknown';
  }
}

/**
 * Saves a result as bench/results/<name>-<date>-<commit>.json, so a result names the code
 * it measured; the committed ones are the baselines. Quick runs go to bench/results/quick/
 * (git-ignored): they are a look, not a measurement.
 */
export function saveResult(name: string, result: Record<string, unknown>): string {
  const date = new Date().toISOString();
  const commit = commitMeasured();
  // A run against another build (BENCH_SERVICE) says which, and never takes this commit's name.
  const other = process.env.BENCH_SERVICE;
  const full = { benchmark: name, date, commit, quick: QUICK, machine: machine(), ...(other ? { service: other } : {}), ...result };
  const dir = path.join(__dirname, '..', 'results', ...(QUICK ? ['quick'] : []));
  const file = path.join(dir, `${name}-${date.slice(0, 10)}-${commit.slice(0, 12)}${other ? '-other-build' : ''}.json`);
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(file, `${JSON.stringify(full, null, 2)}\n`);
  console.log(`Saved ${path.relative(process.cwd(), file)}`);
  return file;
}

/** Prints one target line and says whether it was met. */
export function verdict(label: string, value: number, target: string, met: boolean): boolean {
  console.log(`  ${label}: ${value} (target ${target}): ${met ? 'met' : 'MISSED'}`);
  return met;
}
