import fs from 'node:fs';
import path from 'node:path';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}
interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

/** Where a function lives: an npm package, one of our files, or node itself. */
function placeOf(url: string, name: string): string {
  if (!url) return name.startsWith('(') ? name : '(native)';
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url)?.[1];
  if (pkg) return pkg;
  const ours = /\/(?:dist\/)?((?:src|views|bench)\/.*)$/.exec(url)?.[1];
  if (ours) return ours.replace(/\.js$/, '');
  if (url.startsWith('node:')) return url;
  return url;
}

/**
 * Self time of a node --cpu-prof profile, by where the code lives and by function, as
 * shares of the busy time (idle excluded), printed and returned.
 */
export function summarizeProfiles(dir: string, top = 25) {
  const byPlace = new Map<string, number>();
  const byFunction = new Map<string, number>();
  let busy = 0;
  for (const file of fs.readdirSync(dir).filter((f) => f.endsWith('.cpuprofile'))) {
    const profile = JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8')) as CpuProfile;
    const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
    profile.samples.forEach((id, i) => {
      const node = nodes.get(id);
      const micros = profile.timeDeltas[i] ?? 0;
      if (!node || node.callFrame.functionName === '(idle)') return;
      busy += micros;
      const place = placeOf(node.callFrame.url, node.callFrame.functionName);
      byPlace.set(place, (byPlace.get(place) ?? 0) + micros);
      const fn = `${node.callFrame.functionName || '(anonymous)'} ${place}:${node.callFrame.lineNumber + 1}`;
      byFunction.set(fn, (byFunction.get(fn) ?? 0) + micros);
    });
  }
  const ranked = (map: Map<string, number>) =>
    [...map]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([name, micros]) => ({ name, percent: Math.round((micros / busy) * 1000) / 10 }));
  const summary = { busySeconds: Math.round(busy / 1e4) / 100, byPlace: ranked(byPlace), byFunction: ranked(byFunction) };
  console.log(`\nCPU profile: ${summary.busySeconds} s busy. Self time by where the code lives:`);
  for (const row of summary.byPlace) console.log(`  ${String(row.percent).padStart(5)}%  ${row.name}`);
  console.log('By function:');
  for (const row of summary.byFunction) console.log(`  ${String(row.percent).padStart(5)}%  ${row.name}`);
  fs.writeFileSync(path.join(dir, 'summary.json'), `${JSON.stringify(summary, null, 2)}\n`);
  return summary;
}
