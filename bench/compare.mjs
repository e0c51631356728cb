// Two full runs side by side, e.g. a quiet one and one with a CPU-bound process beside it:
//   cargo xtask bench; cp bench/results.json /tmp/quiet.json
//   taskset -c 0 yes > /dev/null & cargo xtask bench; kill $!; cp bench/results.json /tmp/loaded.json
//   node bench/compare.mjs /tmp/quiet.json /tmp/loaded.json [--within 0.15]
// Prints every budget's median (ratio) of both runs and whether they are within 15% of each
// other (larger / smaller - 1); exits 1 when a ratio budget is not.

import { readFileSync } from 'node:fs';

const args = process.argv.slice(2);
const at = args.indexOf('--within');
const within = at >= 0 ? Number(args.splice(at, 2)[1]) : 0.15;
if (args.length !== 2 || !(within > 0)) {
  console.error('usage: node bench/compare.mjs A.json B.json [--within 0.15]');
  process.exit(2);
}
const [a, b] = args.map((path) => JSON.parse(readFileSync(path, 'utf8')));
const load = (r) => (r.loadAverage ? r.loadAverage.start.map((x) => x.toFixed(2)).join(' ') : '?');
console.log(`A: ${a.date}, load average ${load(a)}\nB: ${b.date}, load average ${load(b)}\n`);

const fmt = (v) => (Math.abs(v) >= 100 ? Math.round(v).toLocaleString('en-US') : v.toFixed(3));
const rows = a.budgets.map((va) => {
  const vb = b.budgets.find((x) => x.metric === va.metric);
  if (!vb) return [va.name, fmt(va.value), 'n/a', '', ''];
  // Only ratios of interleaved rounds are noise-sensitive; sizes and counts compare exactly.
  const ratio = va.min !== null;
  const [lo, hi] = [Math.min(va.value, vb.value), Math.max(va.value, vb.value)];
  const diff = lo > 0 ? hi / lo - 1 : hi === lo ? 0 : Infinity;
  const verdict = !ratio ? '' : diff <= within ? 'yes' : 'NO';
  return [va.name, fmt(va.value), fmt(vb.value), `${(diff * 100).toFixed(1)}%`, verdict];
});
const header = ['budget', 'A', 'B', 'difference', `within ${Math.round(within * 100)}%`];
const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
const line = (cells) => `| ${cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join(' | ')} |`;
console.log([line(header), `|${widths.map((w, i) => (i === 0 ? '-'.repeat(w + 2) : `${'-'.repeat(w + 1)}:`)).join('|')}|`, ...rows.map(line)].join('\n'));
const apart = rows.filter((r) => r[4] === 'NO');
if (apart.length > 0) {
  console.log(`\n${apart.length} ratio budget(s) differ by more than ${Math.round(within * 100)}%`);
  process.exit(1);
}
