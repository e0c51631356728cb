// `cargo xtask bench` runs this after building dist/ and the native bench binary:
//   node bench/run.mjs [--quick] [--native-bin PATH] [--zip PATH]
// Measures code generation (ours, the alternatives and native Rust, same keys and times), popup
// time to visible codes against a blank extension page, what the popup loads, unlock and memory
// in headless Chromium, in interleaved rounds; writes bench/results.json and the tables in
// bench/README.md and README.md; exits 1 when contenders disagree, or (full mode) when a budget
// in bench/budgets.json is missed. Quick mode (CI) uses few rounds and only reports misses.

import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { cpus, loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { DIST, ROOT } from '../tests/e2e/harness.mjs';
import { measure as measureFirefox } from './firefox.mjs';
import { backupTimes } from './lib/backup.mjs';
import { benchDist, browserVersion, memory, openBenchPage, startBrowser, unlockTime } from './lib/browser.mjs';
import { codeGeneration } from './lib/codes.mjs';
import { IMPORT_ACCOUNTS, importTimes, moduleSizes } from './lib/import.mjs';
import { makeKeys, makeTimes } from './lib/inputs.mjs';
import { popupLoad } from './lib/loads.mjs';
import { popupTimes } from './lib/popup.mjs';
import { checkBudgets, render } from './lib/report.mjs';
import { zipSize } from './lib/sizes.mjs';

// times: the codes every contender computes once and must agree on; blockMs: the length of each
// contender's timed block in a round (its share of those times).
const FULL = { keys: 100, times: 300, blockMs: 40, codeRounds: 41, popupRounds: 21, popupPasses: 3, unlockRuns: 5, importRounds: 11, backupRuns: 5, firefoxOpens: 15, timeoutMs: 20 * 60_000 };
const QUICK = { keys: 100, times: 20, blockMs: 10, codeRounds: 5, popupRounds: 3, popupPasses: 1, unlockRuns: 1, importRounds: 2, backupRuns: 1, firefoxOpens: 2, timeoutMs: 5 * 60_000 };
const POPUP_COUNTS = [0, 10, 100, 1000];
const UNLOCK_ACCOUNTS = 100;
const MEMORY_ACCOUNTS = 1000;
const BACKUP_ACCOUNTS = 1000;

function parseArgs(argv) {
  const args = { quick: false, nativeBin: null, zip: null };
  for (let i = 0; i < argv.length; i += 1) {
    const a = argv[i];
    if (a === '--quick') args.quick = true;
    else if (a === '--zip') args.zip = argv[++i];
    else if (a === '--native-bin') args.nativeBin = argv[++i];
    else throw new Error(`unknown argument ${a}`);
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

/** Parts 1, 2, 4, 5, 6 in one browser session. */
async function browserParts(plan, nativeBin, log) {
  const dist = await benchDist();
  const browser = await startBrowser(dist);
  try {
    const page = await openBenchPage(browser);
    const keys = makeKeys(Math.max(plan.keys, ...POPUP_COUNTS));
    const out = { browser: await browserVersion(page) };
    log(`codes: ${plan.keys} keys x ${plan.times} times, ${plan.codeRounds} interleaved round(s) of ${plan.blockMs} ms blocks${nativeBin ? ', native included' : ''}`);
    out.codes = await codeGeneration(page, {
      keys: keys.slice(0, plan.keys), times: makeTimes(plan.times), rounds: plan.codeRounds, blockMs: plan.blockMs, nativeBin,
    });
    log(`popup: blank page and ${POPUP_COUNTS.join(', ')} accounts, ${plan.popupRounds} interleaved round(s) of ${plan.popupPasses} open(s) each, the fastest counted`);
    const { opens, ...popup } = await popupTimes(browser, page, {
      keys, counts: POPUP_COUNTS, rounds: plan.popupRounds, passes: plan.popupPasses,
    });
    out.popup = popup;
    out.load = popupLoad(dist, browser.extensionId, opens);
    log(`unlock: ${UNLOCK_ACCOUNTS} accounts, ${plan.unlockRuns} run(s)`);
    out.unlock = { accounts: UNLOCK_ACCOUNTS, ...(await unlockTime(page, { keys: keys.slice(0, UNLOCK_ACCOUNTS), runs: plan.unlockRuns })) };
    log(`backup: ${BACKUP_ACCOUNTS} accounts written and restored to the preview, ${plan.backupRuns} run(s)`);
    out.backup = await backupTimes(page, { keys: keys.slice(0, BACKUP_ACCOUNTS), runs: plan.backupRuns });
    log(`memory: ${MEMORY_ACCOUNTS} accounts shown`);
    out.memory = await memory(browser, page, keys.slice(0, MEMORY_ACCOUNTS));
    log(`import: ${IMPORT_ACCOUNTS}-account encrypted Aegis file and a one-account one, ${plan.importRounds} interleaved round(s)`);
    out.import = await importTimes(browser, page, { keys, rounds: plan.importRounds });
    out.modules = moduleSizes(dist);
    return out;
  } finally {
    await browser.close();
    await browser.cleanup();
    await rm(dist, { recursive: true, force: true });
  }
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

  const loadStart = loadavg();
  const measured = await browserParts(plan, args.nativeBin, log);
  log(`firefox: popup with 0 and 1,000 accounts in Firefox and Chromium, ${plan.firefoxOpens} interleaved open(s) each`);
  const firefox = { opens: plan.firefoxOpens, ...(await measureFirefox({ opens: plan.firefoxOpens })) };
  const results = {
    mode: args.quick ? 'quick' : 'full',
    date: new Date().toISOString(),
    machine: machine(),
    loadAverage: { start: loadStart, end: loadavg() },
    browser: measured.browser,
    node: process.version,
    parameters: { ...plan, popupCounts: POPUP_COUNTS },
    codes: measured.codes,
    popup: measured.popup,
    load: measured.load,
    zip: zipSize(args.zip),
    unlock: measured.unlock,
    memory: measured.memory,
    backup: measured.backup,
    import: measured.import,
    modules: measured.modules,
    firefox,
  };
  const { budgets } = JSON.parse(readFileSync(join(ROOT, 'bench/budgets.json'), 'utf8'));
  results.budgets = checkBudgets(budgets, results);
  const text = render(results);
  // Quick figures are rough: keep them out of the committed results (bench/tmp is git-ignored).
  const out = args.quick ? 'bench/tmp/results.json' : 'bench/results.json';
  mkdirSync(join(ROOT, dirname(out)), { recursive: true });
  writeFileSync(join(ROOT, out), `${JSON.stringify(results, null, 2)}\n`);
  if (!args.quick) writeReadmes(text);
  console.log(`\n${text}\n`);
  log(`wrote ${out}${args.quick ? '' : ', bench/README.md and README.md'}`);

  const wrong = Object.entries(results.codes.mismatch).filter(([, m]) => m).map(([name, m]) => `${name}: ${JSON.stringify(m)}`);
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

const BEGIN = '<!-- bench:begin (written by `cargo xtask bench`) -->';
const END = '<!-- bench:end -->';

/** bench/README.md gets the latest table and how to reproduce it; README.md the table only. */
function writeReadmes(text) {
  writeFileSync(join(ROOT, 'bench/README.md'), `# Performance

Reproduce with \`cargo xtask bench\` (full run, a few minutes; \`--quick\` is what CI runs).
It builds the release extension and the native bench, then runs \`bench/run.mjs\` in headless
Chromium, writes \`bench/results.json\`, this table and README's, and exits non-zero when a
budget in \`bench/budgets.json\` is missed.

${text}
`);
  const path = join(ROOT, 'README.md');
  const readme = readFileSync(path, 'utf8');
  const from = readme.indexOf(BEGIN);
  const to = readme.indexOf(END);
  if (from < 0 || to < from) throw new Error(`README.md has no ${BEGIN} ... ${END} block for the table`);
  writeFileSync(path, `${readme.slice(0, from + BEGIN.length)}\n${text}\n${readme.slice(to)}`);
}

main().catch((error) => {
  console.error(`bench: ${error.stack ?? error}`);
  process.exit(1);
});
