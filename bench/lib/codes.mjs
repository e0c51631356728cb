// Part 1: code generation. The browser contenders (see bench/page/bench.js) and the native Rust
// bench run in the same interleaved rounds, so every ratio compares figures taken moments apart.
// Figures are CPU time: Chromium's main-thread ThreadTime (DevTools protocol) around each block,
// and the native bench's own thread CPU time. Wall-clock time on a machine shared with other
// work mostly measures waiting for a core; the work per code is what the budgets are about.

import { execFileSync } from 'node:child_process';
import { interleave, median, perContender } from './rounds.mjs';

/** Prefixes of the lines `benches/codes.rs` prints: `bench-result NAME NS` (wall), `bench-cpu NAME NS`. */
const WALL_PREFIX = 'bench-result ';
const CPU_PREFIX = 'bench-cpu ';

/** Contender names of the native figures (`totp_sha1_6_prepared` → `native_prepared`). */
const nativeName = (name) => `native_${name.replace(/^totp_sha1_6_/, '')}`;

/** `{name: ns}` of the lines of `out` starting with `prefix`. */
function resultLines(out, prefix) {
  const figures = {};
  for (const line of out.split('\n')) {
    if (!line.startsWith(prefix)) continue;
    const [name, ns] = line.slice(prefix.length).trim().split(' ');
    if (!Number.isFinite(Number(ns))) throw new Error(`native bench printed a malformed line: ${line}`);
    figures[nativeName(name)] = Number(ns);
  }
  return figures;
}

/**
 * Runs the native bench binary once with `--quick` (per case, the median of 5 blocks of 100,000
 * codes: a fraction of a second). Returns `{cpu: {native_prepared: ns, …}, wall: {…}, codes}`,
 * `codes` per case as its header line says (`… 100000 codes x 5 rounds …`). A binary that
 * prints no CPU figures gives its wall-clock figures for both.
 */
export function nativeRound(bin) {
  const out = execFileSync(bin, ['--quick'], { encoding: 'utf8' });
  const wall = resultLines(out, WALL_PREFIX);
  if (Object.keys(wall).length === 0) throw new Error(`${bin} printed no \`${WALL_PREFIX}NAME NS\` line`);
  const cpu = resultLines(out, CPU_PREFIX);
  const header = / (\d+) codes x (\d+) rounds/.exec(out);
  return { cpu: Object.keys(cpu).length > 0 ? cpu : wall, wall, codes: header ? Number(header[1]) * Number(header[2]) : null };
}

/**
 * Reads the page's main-thread CPU time around a call. `overheadMs` is what reading it around
 * an empty `page.evaluate` costs (median of 15), subtracted from every figure.
 */
async function cpuMeter(page) {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Performance.enable');
  const threadMs = async () => {
    const { metrics } = await cdp.send('Performance.getMetrics');
    return metrics.find((m) => m.name === 'ThreadTime').value * 1000;
  };
  const raw = async (call) => {
    const before = await threadMs();
    const value = await call();
    return { ms: (await threadMs()) - before, value };
  };
  const empty = [];
  for (let i = 0; i < 15; i += 1) empty.push((await raw(() => page.evaluate(() => 0))).ms);
  const overheadMs = median(empty);
  return {
    overheadMs,
    timed: async (call) => {
      const { ms, value } = await raw(call);
      return { ms: Math.max(0, ms - overheadMs), value };
    },
    close: () => cdp.detach(),
  };
}

/**
 * `rounds` interleaved rounds over every contender (the native bench, when `nativeBin` is given,
 * is one contender whose run yields both native figures); each browser contender's block is
 * sized to about `blockMs` of CPU time, so a ratio within a round compares blocks of the same
 * length. Returns `{checked, perRound: {name: codes}, rounds: [{name: cpu ns}], wallRounds,
 * contenders: {name: {median, min, max}}, mismatch: {name: first difference or null}, overheadMs}`.
 */
export async function codeGeneration(page, { keys, times, rounds, blockMs, nativeBin }) {
  const names = await page.evaluate((args) => globalThis.benchCodesSetup(args), { keys, times });
  const meter = await cpuMeter(page);
  try {
    const run = (name) => meter.timed(() => page.evaluate((n) => globalThis.benchCodesRun(n), name));
    const perRound = {};
    const block = (name, length) => page.evaluate(([n, l]) => globalThis.benchCodesBlock(n, l), [name, length]);
    for (const name of names) {
      // CPU ms per time: the fastest of 3 runs (load only slows a run down) of a block grown
      // until it takes at least 2 ms, well above the reading's overhead.
      let probe = 1;
      let best;
      for (;;) {
        await block(name, probe);
        best = Infinity;
        for (let i = 0; i < 3; i += 1) best = Math.min(best, (await run(name)).ms);
        if (best >= 2 || probe >= 10_000) break;
        probe = Math.min(probe * 100, Math.ceil((probe * 3) / Math.max(best, 0.03)));
      }
      const length = Math.max(1, Math.round((probe * blockMs) / Math.max(best, 0.001)));
      await block(name, length);
      perRound[name] = length * keys.length;
    }
    const measure = async (name) => {
      if (name === 'native') {
        const native = nativeRound(nativeBin);
        for (const figure of Object.keys(native.cpu)) perRound[figure] = native.codes;
        return native;
      }
      const { ms, value } = await run(name);
      return { cpu: { [name]: (ms * 1e6) / perRound[name] }, wall: { [name]: value } };
    };
    const raw = await interleave(nativeBin ? [...names, 'native'] : names, rounds, measure);
    // One object per round and kind of time, every figure (both native ones too) by name.
    const merge = (kind) => raw.map((round) => Object.assign({}, ...Object.values(round).map((r) => r[kind])));
    const flat = merge('cpu');
    const mismatch = await page.evaluate(() => globalThis.benchCodesCheck());
    return {
      checked: keys.length * times.length,
      perRound,
      rounds: flat,
      wallRounds: merge('wall'),
      contenders: perContender(flat),
      mismatch,
      overheadMs: meter.overheadMs,
    };
  } finally {
    await meter.close();
  }
}
