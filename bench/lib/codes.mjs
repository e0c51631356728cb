// Part 1: code generation. The browser contenders (see bench/page/bench.js) and the native Rust
// bench run in the same interleaved rounds, so every ratio compares figures taken moments apart.

import { execFileSync } from 'node:child_process';
import { interleave, perContender } from './rounds.mjs';

/** Prefix of the lines `benches/codes.rs` prints: `bench-result NAME NS`. */
const RESULT_PREFIX = 'bench-result ';

/** Contender names of the native figures (`totp_sha1_6_prepared` → `native_prepared`). */
const nativeName = (name) => `native_${name.replace(/^totp_sha1_6_/, '')}`;

/**
 * Runs the native bench binary once (`--quick`: 5 x 100,000 codes per case, a fraction of a
 * second) and returns `{native_prepared: ns, native_oneshot: ns}`.
 */
export function nativeRound(bin) {
  const out = execFileSync(bin, ['--quick'], { encoding: 'utf8' });
  const figures = {};
  for (const line of out.split('\n')) {
    if (!line.startsWith(RESULT_PREFIX)) continue;
    const [name, ns] = line.slice(RESULT_PREFIX.length).trim().split(' ');
    if (!Number.isFinite(Number(ns))) throw new Error(`native bench printed a malformed line: ${line}`);
    figures[nativeName(name)] = Number(ns);
  }
  if (Object.keys(figures).length === 0) throw new Error(`${bin} printed no \`${RESULT_PREFIX}NAME NS\` line`);
  return figures;
}

/**
 * `rounds` interleaved rounds over every contender (the native bench, when `nativeBin` is given,
 * is one contender whose run yields both native figures). Returns
 * `{rounds: [{name: ns}], contenders: {name: {median, min, max}}, mismatch: {name: first difference or null}}`.
 */
export async function codeGeneration(page, { keys, times, rounds, nativeBin }) {
  const names = await page.evaluate((args) => globalThis.benchCodesSetup(args), { keys, times });
  const slots = nativeBin ? [...names, 'native'] : names;
  const raw = await interleave(slots, rounds, async (name) => (
    name === 'native' ? nativeRound(nativeBin) : page.evaluate((n) => globalThis.benchCodesRun(n), name)
  ));
  // The native slot gives several figures; flatten them into the round.
  const flat = raw.map(({ native, ...browser }) => ({ ...browser, ...(native ?? {}) }));
  const mismatch = await page.evaluate(() => globalThis.benchCodesCheck());
  return { codes: keys.length * times.length, rounds: flat, contenders: perContender(flat), mismatch };
}
