// Interleaved rounds: every contender runs once per round, in an order rotated each round, so a
// burst of load on this shared machine lands on all contenders alike instead of on whichever
// one had the machine then. Budgets compare contenders by the median of per-round ratios.

/** The median of `xs` (the upper middle for an even count); NaN for none. */
export const median = (xs) => (xs.length === 0 ? NaN : [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]);

/** `names` rotated left by `round`: round 0 runs A, B, C; round 1 runs B, C, A; ... */
export function rotated(names, round) {
  const k = round % names.length;
  return [...names.slice(k), ...names.slice(0, k)];
}

/**
 * Runs `rounds` rounds of `measure(name)` over `names`, each round in rotated order, after one
 * unrecorded warm-up round. Resolves to one `{name: figure}` object per round, keys in `names`
 * order.
 */
export async function interleave(names, rounds, measure) {
  for (const name of names) await measure(name);
  const out = [];
  for (let round = 0; round < rounds; round += 1) {
    const figures = {};
    for (const name of rotated(names, round)) figures[name] = await measure(name);
    out.push(Object.fromEntries(names.map((name) => [name, figures[name]])));
  }
  return out;
}

/**
 * Like [`interleave`], but every round makes `passes` passes over `names` (each pass rotated
 * one further) and a round's figure for a name is the fastest of its passes: load on this
 * shared machine only ever adds time, and one delayed open (a page's figure here is one
 * open, not a block of many calls) would otherwise decide that round's ratio alone.
 */
export async function interleaveFastest(names, rounds, passes, measure) {
  for (const name of names) await measure(name);
  const out = [];
  for (let round = 0; round < rounds; round += 1) {
    const best = Object.fromEntries(names.map((name) => [name, Infinity]));
    for (let pass = 0; pass < passes; pass += 1) {
      for (const name of rotated(names, round * passes + pass)) {
        best[name] = Math.min(best[name], await measure(name));
      }
    }
    out.push(best);
  }
  return out;
}

/** `{median, min, max}` of a list of figures. */
export function spread(xs) {
  return { median: median(xs), min: Math.min(...xs), max: Math.max(...xs) };
}

/** Per round, `a / b`; then `{median, min, max}` of those ratios. */
export function ratioOf(rounds, a, b) {
  return spread(rounds.map((r) => r[a] / r[b]));
}

/** `{name: {median, min, max}}` of every contender's own figures over the rounds. */
export function perContender(rounds) {
  const names = Object.keys(rounds[0] ?? {});
  return Object.fromEntries(names.map((name) => [name, spread(rounds.map((r) => r[name]))]));
}
