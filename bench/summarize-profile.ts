/**
 * Top self-time functions of a V8 .cpuprofile, grouped by package, for docs/performance.md.
 *   node -r @swc-node/register bench/summarize-profile.ts <file.cpuprofile> [top]
 */
import { readFileSync } from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
}

export function summarize(file: string, top = 15): string {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as { nodes: ProfileNode[]; samples: number[] };
  const hits = new Map<number, number>();
  for (const id of profile.samples) hits.set(id, (hits.get(id) ?? 0) + 1);
  const total = profile.samples.length;
  const byFunction = new Map<string, number>();
  const byPackage = new Map<string, number>();
  for (const node of profile.nodes) {
    const n = hits.get(node.id) ?? 0;
    if (n === 0) continue;
    const url = node.callFrame.url;
    const pkg = /node_modules\/((@[^/]+\/)?[^/]+)/.exec(url)?.[1] ?? (url.includes('/src/') ? 'authgate (src)' : url ? url.replace(/^.*\//, '') : node.callFrame.functionName || '(native)');
    const fn = `${node.callFrame.functionName || '(anonymous)'} ${pkg}`;
    byFunction.set(fn, (byFunction.get(fn) ?? 0) + n);
    byPackage.set(pkg, (byPackage.get(pkg) ?? 0) + n);
  }
  const fmt = (m: Map<string, number>) =>
    [...m.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([k, v]) => `| ${k} | ${((100 * v) / total).toFixed(1)} % |`)
      .join('\n');
  return `| package | self time |\n| --- | ---: |\n${fmt(byPackage)}\n\n| function | self time |\n| --- | ---: |\n${fmt(byFunction)}`;
}

if (require.main === module) {
  const [file, top] = process.argv.slice(2);
  process.stdout.write(summarize(file, top ? Number(top) : 15) + '\n');
}
