/**
 * npm run bench: every benchmark in turn, each in a process of its own (so one's heap and
 * pool do not weigh on the next), then which met their targets. BENCH_QUICK=1 for a look.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';

const BENCHMARKS: Array<{ name: string; script: string; nodeArgs?: string[] }> = [
  { name: 'login', script: 'login.ts' },
  { name: 'page', script: 'page.ts' },
  { name: 'workers', script: 'workers.ts' },
  { name: 'page weight', script: 'page-weight.ts' },
  { name: 'sessions', script: 'sessions.ts', nodeArgs: ['--expose-gc'] },
  { name: 'admin search', script: 'admin-search.ts' },
];

const outcomes = BENCHMARKS.map(({ name, script, nodeArgs = [] }) => {
  console.log(`\n=== ${name} ===`);
  const started = Date.now();
  const run = spawnSync(process.execPath, [...nodeArgs, '--import', 'tsx', path.join(__dirname, script)], { stdio: 'inherit' });
  return { name, status: run.status, seconds: Math.round((Date.now() - started) / 1000) };
});

console.log('\n=== summary ===');
for (const o of outcomes) console.log(`  ${o.name.padEnd(12)} ${o.status === 0 ? 'targets met' : `targets missed or failed (exit ${o.status})`}  ${o.seconds} s`);
process.exitCode = outcomes.every((o) => o.status === 0) ? 0 : 1;
