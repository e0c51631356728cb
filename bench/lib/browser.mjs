// The browser side: a bench-only copy of dist/, Chromium with it loaded, and parts 4 and 5
// (unlock, memory). Parts 1 and 2 are in codes.mjs and popup.mjs.

import { cp, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ROOT, launch, patchedDist } from '../../tests/e2e/harness.mjs';
import { BLANK_PAGE, openPopupTimed } from './popup.mjs';

/** Third-party builds the bench page loads (no bundler: ESM and UMD files as published). */
const VENDOR = {
  'otpauth.esm.js': 'node_modules/otpauth/dist/otpauth.esm.js',
  'sha1.mjs': 'node_modules/jssha/dist/sha1.mjs',
  'crypto-js.js': 'node_modules/crypto-js/crypto-js.js',
};

/**
 * popup.html without its scripts: the same `<head>`, stylesheet and markup, nothing run or
 * fetched for a script (the popup's preload hints for its module go too).
 */
export function blankShell(popupHtml) {
  const blank = popupHtml
    .replace(/<script\b[^>]*>[\s\S]*?<\/script>\s*/g, '')
    .replace(/<link\b[^>]*\brel="(?:module)?preload"[^>]*>\s*/g, '');
  if (/<script\b/i.test(blank)) throw new Error('popup.html has a <script> the blank page could not drop');
  if (/preload/i.test(blank)) throw new Error('popup.html has a preload hint the blank page could not drop');
  return blank;
}

/**
 * A temporary copy of dist/ plus the bench page, the vendored contenders and the blank page,
 * so they run as extension pages (same origin, CSP and WASM as the popup). The shipped dist/ is
 * untouched.
 */
export async function benchDist() {
  const dir = await patchedDist(() => {});
  await writeFile(join(dir, BLANK_PAGE), blankShell(await readFile(join(dir, 'popup.html'), 'utf8')));
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
