// `cargo xtask bench` runs this after building dist/ and the native bench:
//   node bench/run.mjs [--quick] [--native NAME=NS ...] [--zip PATH]
// Measures code generation (ours and the alternatives, same keys and times), popup time to
// visible codes, sizes, unlock and memory in headless Chromium; writes bench/results.json and
// bench/README.md's table; exits 1 when contenders disagree, or (full mode) when a budget in
// bench/budgets.json is missed. Quick mode (CI) uses few iterations and only reports misses.

import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { cpus } from 'node:os';
import { dirname, join } from 'node:path';
import { DIST, ROOT } from '../tests/e2e/harness.mjs';
import {
  benchDist, browserVersion, codeGeneration, memory, openBenchPage, popupTimes, startBrowser, unlockTime,
} from './lib/browser.mjs';
import { makeKeys, makeTimes } from './lib/inputs.mjs';
import { checkBudgets, flatMetrics, render } from './lib/report.mjs';
import { sizes } from './lib/sizes.mjs';

const FULL = { keys: 100, times: 1000, codeRuns: 5, popupOpens: 15, unlockRuns: 5, timeoutMs: 15 * 60_000 };
const QUICK = { keys: 100, times: 50, codeRuns: 1, popupOpens: 3, unlockRuns: 1, timeoutMs: 3 * 60_000 };
const POPUP_COUNTS = [0, 10, 100, 1000];
const UNLOCK_ACCOUNTS = 100;
const MEMORY_ACCOUNTS = 1000;

function parseArgs(argv) {
  const args = { quick: false, native: {}, zip: null };
  for (let i = 0; i < argv.length; i += 1) {
    const a = argv[i];
    if (a === '--quick') args.quick = true;
    else if (a === '--zip') args.zip = argv[++i];
    else if (a === '--native') {
      const [name, ns] = (argv[++i] ?? '').split('=');
      if (!name || !Number.isFinite(Number(ns))) throw new Error(`--native wants NAME=NS, got ${argv[i]}`);
      args.native[name] = Number(ns);
    } else throw new Error(`unknown argument ${a}`);
  }
  if (!args.zip) {
    const { version } = JSON.parse(readFileSync(join(DIST, 'manifest.json'), 'utf8'));
    args.zip = join(ROOT, `target/toolbar-authenticator-${version}.zip`);
  }
  return args;
}

function machine() {
  const cpuinfo = readFileSync('/proc/cpuinfo', 'utf8');
  const cpu = /^model name\s*:\s*(.+)$/m.exec(cpuinfo)?.[1] ?? cpus()[0]?.model ?? 'unknown';
  return { cpu, cores: cpus().length, platform: `${process.platform} ${process.arch}` };
}

/** Parts 1, 2, 4, 5 in one browser session. */
async function browserParts(plan, log) {
  const dist = await benchDist();
  const browser = await startBrowser(dist);
  try {
    const page = await openBenchPage(browser);
    const keys = makeKeys(Math.max(plan.keys, ...POPUP_COUNTS));
    const codeKeys = keys.slice(0, plan.keys);
    const out = { browser: await browserVersion(page) };
    log(`codes: ${plan.keys} keys x ${plan.times} times, ${plan.codeRuns} run(s) per contender`);
    out.codes = await codeGeneration(page, { keys: codeKeys, times: makeTimes(plan.times), runs: plan.codeRuns });
    log(`popup: ${POPUP_COUNTS.join(', ')} accounts, ${plan.popupOpens} fresh opens each`);
    out.popup = await popupTimes(browser, page, { keys, counts: POPUP_COUNTS, opens: plan.popupOpens });
    log(`unlock: ${UNLOCK_ACCOUNTS} accounts, ${plan.unlockRuns} run(s)`);
    out.unlock = { accounts: UNLOCK_ACCOUNTS, ...(await unlockTime(page, { keys: keys.slice(0, UNLOCK_ACCOUNTS), runs: plan.unlockRuns })) };
    log(`memory: ${MEMORY_ACCOUNTS} accounts shown`);
    out.memory = await memory(browser, page, keys.slice(0, MEMORY_ACCOUNTS));
    return out;
  } finally {
    await browser.close();
    await browser.cleanup();
    await rm(dist, { recursive: true, force: true });
  }
}

function mismatches(codes) {
  return Object.entries(codes).filter(([, c]) => c.mismatch).map(([name, c]) => `${name}: ${JSON.stringify(c.mismatch)}`);
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  const plan = args.quick ? QUICK : FULL;
  const started = Date.now();
  const log = (text) => console.log(`bench: ${text} (${((Date.now() - started) / 1000).toFixed(1)}s)`);
  // Bounded: a hung browser must not hang CI.
  setTimeout(() => {
    console.error(`bench: gave up after ${plan.timeoutMs / 1000}s`);
    process.exit(2);
  }, plan.timeoutMs).unref();

  const measured = await browserParts(plan, log);
  const results = {
    mode: args.quick ? 'quick' : 'full',
    date: new Date().toISOString(),
    machine: machine(),
    browser: measured.browser,
    node: process.version,
    parameters: { ...plan, popupCounts: POPUP_COUNTS },
    codes: measured.codes,
    native: args.native,
    popup: measured.popup,
    sizes: sizes(DIST, args.zip),
    unlock: measured.unlock,
    memory: measured.memory,
  };
  results.metrics = flatMetrics(results);
  const { budgets } = JSON.parse(readFileSync(join(ROOT, 'bench/budgets.json'), 'utf8'));
  results.budgets = checkBudgets(budgets, results.metrics);
  const text = render(results, results.budgets);
  // Quick figures are rough: keep them out of the committed results (bench/tmp is git-ignored).
  const out = args.quick ? 'bench/tmp/results.json' : 'bench/results.json';
  mkdirSync(join(ROOT, dirname(out)), { recursive: true });
  writeFileSync(join(ROOT, out), `${JSON.stringify(results, null, 2)}\n`);
  if (!args.quick) writeReadme(text);
  console.log(`\n${text}\n`);
  log(`wrote ${out}`);

  const wrong = mismatches(results.codes);
  if (wrong.length > 0) {
    console.error(`bench: contenders disagree with codeAt:\n  ${wrong.join('\n  ')}`);
    process.exit(1);
  }
  const missed = results.budgets.filter((b) => !b.pass);
  if (missed.length > 0 && !args.quick) {
    console.error(`bench: ${missed.length} budget(s) missed: ${missed.map((b) => b.name).join('; ')}`);
    process.exit(1);
  }
  if (missed.length > 0) console.log(`bench: quick mode, not failing on ${missed.length} missed budget(s)`);
}

/** bench/README.md: the latest full table and how to reproduce it. */
function writeReadme(text) {
  writeFileSync(join(ROOT, 'bench/README.md'), `# Performance

Reproduce with \`cargo xtask bench\` (full run, a few minutes; \`--quick\` is what CI runs).
It builds the release extension, runs \`cargo bench --bench codes\`, then \`bench/run.mjs\` in
headless Chromium, writes \`bench/results.json\` and this table, and exits non-zero when a budget
in \`bench/budgets.json\` is missed.

${text}
`);
}

main().catch((error) => {
  console.error(`bench: ${error.stack ?? error}`);
  process.exit(1);
});
