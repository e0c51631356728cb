// Parts 1, 2, 4 and 5: everything measured inside headless Chromium with the extension loaded.

import { cp, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { ROOT, launch, patchedDist } from '../../tests/e2e/harness.mjs';

/** Third-party builds the bench page loads (no bundler: ESM and UMD files as published). */
const VENDOR = {
  'otpauth.esm.js': 'node_modules/otpauth/dist/otpauth.esm.js',
  'sha1.mjs': 'node_modules/jssha/dist/sha1.mjs',
  'crypto-js.js': 'node_modules/crypto-js/crypto-js.js',
};

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/**
 * A temporary copy of dist/ plus the bench page and the vendored contenders, so the page runs
 * as an extension page (same origin, CSP and WASM as the popup). The shipped dist/ is untouched.
 */
export async function benchDist() {
  const dir = await patchedDist(() => {});
  for (const file of ['bench.html', 'bench.js']) {
    await cp(join(ROOT, 'bench/page', file), join(dir, file));
  }
  await mkdir(join(dir, 'bench-vendor'));
  for (const [name, from] of Object.entries(VENDOR)) {
    await cp(join(ROOT, from), join(dir, 'bench-vendor', name));
  }
  return dir;
}

/** Chromium with the bench copy loaded; memory figures unrounded. */
export async function startBrowser(dist) {
  return launch({ dist, args: ['--enable-precise-memory-info'] });
}

/** Opens the bench page and waits for its WASM. */
export async function openBenchPage(browser) {
  const page = await browser.context.newPage();
  const errors = [];
  page.on('pageerror', (error) => errors.push(error.message));
  await page.goto(`chrome-extension://${browser.extensionId}/bench.html`);
  await page.waitForFunction(() => globalThis.benchReady, null, { timeout: 30_000 })
    .catch((error) => { throw new Error(`bench page did not load: ${errors.join('; ') || error.message}`); });
  await page.evaluate(() => globalThis.benchReady);
  return page;
}

/** Part 1: ns/code for every contender (see bench/page/bench.js). */
export async function codeGeneration(page, { keys, times, runs }) {
  return page.evaluate((args) => globalThis.benchCodes(args), { keys, times, runs });
}

/** Opens popup.html in a new tab; resolves to ms from navigation start to `codes-visible`. */
async function openPopupTimed(browser, expectedRows) {
  const page = await browser.context.newPage();
  const errors = [];
  page.on('pageerror', (error) => errors.push(error.message));
  await page.goto(`chrome-extension://${browser.extensionId}/popup.html`);
  try {
    await page.waitForFunction(() => performance.getEntriesByName('codes-visible').length > 0, null, {
      timeout: 30_000,
    });
  } catch (error) {
    throw new Error(`popup never marked codes-visible: ${errors.join('; ') || error.message}`);
  }
  // The popup builds the rows a window can show first and the rest after the first paint, so
  // at the mark every code inside the viewport must be there; the full list must follow.
  const { ms, inView, blank } = await page.evaluate(() => {
    const buttons = [...document.querySelectorAll('#accounts button.code')];
    const shown = buttons.filter((b) => b.getBoundingClientRect().top < innerHeight);
    return {
      ms: performance.getEntriesByName('codes-visible')[0].startTime,
      inView: shown.length,
      blank: shown.filter((b) => !b.textContent.trim()).length,
    };
  });
  if (expectedRows > 0 && (inView === 0 || blank > 0)) {
    throw new Error(`popup painted ${inView} codes in view, ${blank} of them blank`);
  }
  await page.waitForFunction(
    (n) => document.querySelectorAll('#accounts button.code').length === n,
    expectedRows,
    { timeout: 30_000 },
  );
  return { page, ms };
}

/** Part 2: median ms to visible codes over `opens` fresh popups, for each account count. */
export async function popupTimes(browser, benchPage, { keys, counts, opens }) {
  const ms = Object.fromEntries(counts.map((count) => [count, []]));
  const openWith = async (count) => {
    await benchPage.evaluate((k) => globalThis.benchSeed(k), keys.slice(0, count));
    return openPopupTimed(browser, count);
  };
  for (const count of counts) await (await openWith(count)).page.close(); // warm the caches once
  // Round-robin over the counts, so a slow spell of this shared machine hits every count alike
  // instead of skewing the one being measured then (the budgets are ratios between counts).
  for (let i = 0; i < opens; i += 1) {
    for (const count of counts) {
      const popup = await openWith(count);
      ms[count].push(popup.ms);
      await popup.page.close();
    }
  }
  return Object.fromEntries(counts.map((count) => [count, { medianMs: median(ms[count]), runsMs: ms[count] }]));
}

/** Part 4: Argon2id + decrypt of a vault of `keys`, median ms. */
export async function unlockTime(benchPage, { keys, runs }) {
  return benchPage.evaluate((args) => globalThis.benchUnlock(args), { keys, runs });
}

/** Part 5: JS heap (after a forced GC) and WASM memory of a popup showing `keys`. */
export async function memory(browser, benchPage, keys) {
  await benchPage.evaluate((k) => globalThis.benchSeed(k), keys);
  const { page } = await openPopupTimed(browser, keys.length);
  const cdp = await browser.context.newCDPSession(page);
  await cdp.send('HeapProfiler.collectGarbage');
  const figures = await page.evaluate(async () => {
    // The glue module is already instantiated by the popup; init() returns its exports.
    const glue = await import('./pkg/toolbar_authenticator.js');
    const wasm = await glue.default();
    return { jsHeapBytes: performance.memory.usedJSHeapSize, wasmBytes: wasm.memory.buffer.byteLength };
  });
  await cdp.detach();
  await page.close();
  return { accounts: keys.length, ...figures, totalBytes: figures.jsHeapBytes + figures.wasmBytes };
}

/** Chromium's product string, e.g. "HeadlessChrome/148.0.7778.167". */
export async function browserVersion(page) {
  const cdp = await page.context().newCDPSession(page);
  const { product } = await cdp.send('Browser.getVersion');
  await cdp.detach();
  return product;
}
