// Decode rate of QR codes: ours (the transfer module) against jsQR, side by side in one page of
// the built extension in headless Chromium, on a generated corpus (bench/qr/corpus.mjs).
//   node bench/qr/run.mjs [--quick] [--dump DIR]
// Needs dist/ (cargo xtask build). Prints a table per category and the targets; writes
// bench/qr/results.json (full runs); exits 1 when a target is missed (full runs; --quick, as
// CI runs it, only reports). --dump DIR writes the corpus as greyscale PGM files and
// DIR/index.json for examples/qr_decoders.rs (rqrr against quircs) instead of decoding.

import { cp, mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ROOT, launch, patchedDist } from '../../tests/e2e/harness.mjs';
import { CATEGORY_NAMES, makeCorpus } from './corpus.mjs';

const FULL = { perCategory: 70 };
const QUICK = { perCategory: 12 };
const BATCH = 10;

function parseArgs(argv) {
  const args = { quick: false, dump: null };
  for (let i = 0; i < argv.length; i += 1) {
    if (argv[i] === '--quick') args.quick = true;
    else if (argv[i] === '--dump') args.dump = argv[++i];
    else throw new Error(`unknown argument ${argv[i]}`);
  }
  return args;
}

/** A temporary copy of dist/ with the bench page and jsQR; the shipped dist/ is untouched. */
async function benchDist() {
  const dir = await patchedDist(() => {});
  for (const file of ['qr.html', 'qr.js']) await cp(join(ROOT, 'bench/qr/page', file), join(dir, file));
  await mkdir(join(dir, 'bench-vendor'), { recursive: true });
  await cp(join(ROOT, 'node_modules/jsqr/dist/jsQR.js'), join(dir, 'bench-vendor/jsQR.js'));
  return dir;
}

async function openPage(browser) {
  const page = await browser.context.newPage();
  const errors = [];
  page.on('pageerror', (error) => errors.push(error.message));
  await page.goto(`chrome-extension://${browser.extensionId}/qr.html`);
  await page.waitForFunction(() => globalThis.qrReady, null, { timeout: 60_000 })
    .catch((error) => { throw new Error(`QR bench page did not load: ${errors.join('; ') || error.message}`); });
  return page;
}

const pct = (n, d) => (d ? (100 * n) / d : 0);
const mean = (xs) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : 0);

/** Rows of the table: per category, then all, then all at 2 or more pixels per module. */
function summarise(specs, results) {
  const groups = [
    ...CATEGORY_NAMES.map((name) => [name, (s) => s.category === name]),
    ['all', () => true],
    ['all at >= 2 px/module', (s) => s.ppm >= 2],
  ];
  return groups.map(([name, keep]) => {
    const rows = results.filter((_, i) => keep(specs[i]));
    const side = (who) => ({
      decoded: rows.filter((r) => r[who].ok).length,
      rate: pct(rows.filter((r) => r[who].ok).length, rows.length),
      msPerImage: mean(rows.map((r) => r[who].ms)),
      errors: rows.filter((r) => r[who].error).length,
    });
    return { name, images: rows.length, ours: side('ours'), jsqr: side('jsqr') };
  });
}

function table(rows) {
  const head = ['Category', 'images', 'ours', 'jsQR', 'ours ms/image', 'jsQR ms/image'];
  const body = rows.map((r) => [
    r.name, String(r.images), `${r.ours.rate.toFixed(1)}%`, `${r.jsqr.rate.toFixed(1)}%`,
    r.ours.msPerImage.toFixed(2), r.jsqr.msPerImage.toFixed(2),
  ]);
  const widths = head.map((h, c) => Math.max(h.length, ...body.map((b) => b[c].length)));
  const line = (cells) => `| ${cells.map((x, c) => (c ? x.padStart(widths[c]) : x.padEnd(widths[c]))).join(' | ')} |`;
  return [line(head), `|${widths.map((w, c) => (c ? `${'-'.repeat(w + 1)}:` : '-'.repeat(w + 2))).join('|')}|`,
    ...body.map(line)].join('\n');
}

/** The issue's targets: [name, pass, detail]. */
function targets(rows) {
  const cats = rows.filter((r) => CATEGORY_NAMES.includes(r.name));
  const all = rows.find((r) => r.name === 'all');
  const two = rows.find((r) => r.name === 'all at >= 2 px/module');
  const behind = cats.filter((r) => r.ours.decoded < r.jsqr.decoded);
  return [
    ['ours >= jsQR in every category', behind.length === 0,
      behind.map((r) => `${r.name}: ${r.ours.decoded} < ${r.jsqr.decoded}`).join('; ') || 'yes'],
    ['ours >= 99% at >= 2 px/module', two.ours.rate >= 99, `${two.ours.rate.toFixed(2)}%`],
    ['ours faster per image', all.ours.msPerImage < all.jsqr.msPerImage,
      `${all.ours.msPerImage.toFixed(2)} ms against ${all.jsqr.msPerImage.toFixed(2)} ms`],
    ['no decoder error', all.ours.errors === 0, `${all.ours.errors} errors`],
  ];
}

async function dump(page, specs, dir) {
  await mkdir(dir, { recursive: true });
  const index = [];
  for (let i = 0; i < specs.length; i += BATCH) {
    const images = await page.evaluate((s) => globalThis.qrLuma(s), specs.slice(i, i + BATCH));
    for (const [k, image] of images.entries()) {
      const spec = specs[i + k];
      const file = `${String(i + k).padStart(4, '0')}.pgm`;
      const header = Buffer.from(`P5\n${image.width} ${image.height}\n255\n`);
      await writeFile(join(dir, file), Buffer.concat([header, Buffer.from(image.luma, 'base64')]));
      index.push({ file, category: spec.category, ppm: spec.ppm, version: spec.version, text: spec.text });
    }
  }
  await writeFile(join(dir, 'index.json'), JSON.stringify(index, null, 1));
  console.log(`qr bench: wrote ${specs.length} PGM files and index.json to ${dir}`);
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  const plan = args.quick ? QUICK : FULL;
  const specs = makeCorpus(plan);
  console.log(`qr bench: ${specs.length} images, ${plan.perCategory} per category, versions 1-25`);
  const dist = await benchDist();
  const browser = await launch({ dist });
  let results = [];
  let noCode;
  try {
    const page = await openPage(browser);
    if (args.dump) {
      await dump(page, specs, args.dump);
      return;
    }
    // Warm both decoders (WebAssembly compilation, JIT) on one image, untimed.
    await page.evaluate((s) => globalThis.qrDecode(s, 0), specs.slice(0, 1));
    const empty = { size: 0, ppm: 1, angle: 0, busy: true, pageWidth: 1920, pageHeight: 1080, seed: 1 };
    noCode = await page.evaluate(([s, runs]) => globalThis.qrNoCode(s, runs), [empty, args.quick ? 1 : 5]);
    for (let i = 0; i < specs.length; i += BATCH) {
      results.push(...await page.evaluate(([s, first]) => globalThis.qrDecode(s, first), [specs.slice(i, i + BATCH), i]));
    }
  } finally {
    await browser.close();
    await browser.cleanup();
    await rm(dist, { recursive: true, force: true });
  }
  const rows = summarise(specs, results);
  console.log(`\n${table(rows)}\n`);
  console.log(`A ${noCode.width} x ${noCode.height} busy page without a code (every step runs): `
    + `ours ${noCode.ours.toFixed(0)} ms, jsQR ${noCode.jsqr.toFixed(0)} ms\n`);
  const checks = targets(rows);
  for (const [name, pass, detail] of checks) console.log(`${pass ? 'pass' : 'MISS'}  ${name}: ${detail}`);
  const failed = specs.map((s, i) => ({ s, r: results[i] })).filter(({ r }) => !r.ours.ok)
    .map(({ s, r }) => `${s.category} v${s.version} ${s.ppm.toFixed(2)} px/module${r.ours.error ? ` (${r.ours.error})` : ''}`);
  if (failed.length) console.log(`\nours missed ${failed.length}:\n  ${failed.join('\n  ')}`);
  if (!args.quick) {
    const out = { date: new Date().toISOString(), images: specs.length, rows, noCode, targets: checks };
    await writeFile(join(ROOT, 'bench/qr/results.json'), `${JSON.stringify(out, null, 2)}\n`);
  }
  if (!args.quick && checks.some(([, pass]) => !pass)) process.exitCode = 1;
}

await main();
