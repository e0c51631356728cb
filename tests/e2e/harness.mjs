// Shared set-up for the browser tests: the built dist/ loaded as a real extension in Debian's
// Chromium (headless), driven with playwright-core. No mocked browser.

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { cp, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const DIST = process.env.TBA_DIST ?? join(ROOT, 'dist');
/** The Firefox build (`cargo xtask build` writes it beside dist/). */
export const DIST_FIREFOX = process.env.TBA_DIST_FIREFOX ?? join(ROOT, 'dist-firefox');
/** Where tests write screenshots (`cargo xtask screenshots` copies them into docs/). */
export const SCREENSHOTS = process.env.TBA_SCREENSHOTS ?? join(ROOT, 'target', 'screenshots');
const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';

const open = new Set();

/** Closes every browser still open (a failed test may leave one; it would keep node alive). */
export async function closeAll() {
  await Promise.all([...open].map((context) => context.close().catch(() => {})));
  open.clear();
}

/** A fresh, empty profile directory. */
export async function freshProfile() {
  return mkdtemp(join(tmpdir(), 'tba-profile-'));
}

/**
 * Copies dist/ (or `from`, e.g. dist-firefox/) to a temporary directory with `patch(manifest)`
 * applied, for test-only builds (e.g. a host permission standing in for the activeTab grant).
 * The shipped build is untouched.
 */
export async function patchedDist(patch, from = DIST) {
  const dir = await mkdtemp(join(tmpdir(), 'tba-dist-'));
  await cp(from, dir, { recursive: true });
  const manifestPath = join(dir, 'manifest.json');
  const manifest = JSON.parse(await readFile(manifestPath, 'utf8'));
  patch(manifest);
  await writeFile(manifestPath, JSON.stringify(manifest, null, 2));
  return dir;
}

/**
 * Adds `extension/i18n.js` to the built copy `dir` as `i18n.js`. The build bundles that module
 * into the pages' scripts; tests that call its functions (plural forms, numbers) in the
 * browser's language import the module itself, which imports nothing.
 */
export async function addI18nModule(dir) {
  await cp(join(ROOT, 'extension', 'i18n.js'), join(dir, 'i18n.js'));
}

/**
 * Sets the delay after which the clipboard is cleared (clipboard-worker.js's `CLEAR_AFTER_MS`,
 * 30 s) to `ms` in the built copy `dir`. The build bundles that module into the background's
 * script, so the one top-level script that holds the constant is patched; fails unless exactly
 * one does.
 */
export async function shortenClipboardDelay(dir, ms) {
  const pattern = /CLEAR_AFTER_MS = (30_000|3e4|30000);/;
  const scripts = (await readdir(dir)).filter((name) => name.endsWith('.js'));
  const holders = [];
  for (const name of scripts) {
    const source = await readFile(join(dir, name), 'utf8');
    if (pattern.test(source)) holders.push({ name, source });
  }
  assert.equal(holders.length, 1, `one built script sets CLEAR_AFTER_MS to 30 s; found ${holders.map((h) => h.name).join(', ') || 'none'}`);
  const [{ name, source }] = holders;
  await writeFile(join(dir, name), source.replace(pattern, `CLEAR_AFTER_MS = ${ms};`));
}

/**
 * Starts Chromium with the extension. Returns {context, extensionId, worker, profile, close}.
 * `env` adds variables to the browser's environment (e.g. `TZ`, its time zone). `lang` (e.g.
 * 'fr') starts the browser in that language: Chromium takes its UI language from `--lang` and,
 * on Linux, from the `LANGUAGE` environment variable.
 * @param {{profile?: string, dist?: string, colorScheme?: 'light'|'dark', args?: string[],
 *   env?: Record<string, string>, lang?: string}} options
 */
export async function launch(options = {}) {
  const profile = options.profile ?? (await freshProfile());
  const dist = options.dist ?? DIST;
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    colorScheme: options.colorScheme ?? 'light',
    ...(options.env || options.lang ? {
      env: { ...process.env, ...options.env, ...(options.lang ? { LANGUAGE: options.lang } : {}) },
    } : {}),
    ...(options.lang ? { locale: options.lang } : {}),
    viewport: { width: 420, height: 640 },
    ignoreDefaultArgs: ['--disable-extensions', '--disable-component-extensions-with-background-pages'],
    args: [
      '--headless=new',
      '--no-sandbox',
      '--disable-gpu',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      `--disable-extensions-except=${dist}`,
      `--load-extension=${dist}`,
      ...(options.lang ? [`--lang=${options.lang}`] : []),
      ...(options.args ?? []),
    ],
  });
  open.add(context);
  context.on('close', () => open.delete(context));
  let worker = context.serviceWorkers().find((w) => w.url().startsWith('chrome-extension://'));
  if (!worker) {
    worker = await context.waitForEvent('serviceworker', {
      predicate: (w) => w.url().startsWith('chrome-extension://'),
      timeout: 20_000,
    });
  }
  const extensionId = new URL(worker.url()).host;
  // Extension origins count as opaque for origin-scoped grants, so grant for the context.
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  return {
    context,
    extensionId,
    worker,
    profile,
    close: () => context.close(),
    /** Removes the profile directory (call after close). */
    cleanup: () => rm(profile, { recursive: true, force: true }),
  };
}

/** Opens the popup page in a tab and waits until the core has rendered. */
export async function openPopup(browser) {
  const page = await browser.context.newPage();
  page.on('pageerror', (error) => {
    throw new Error(`popup page error: ${error.message}`);
  });
  await page.goto(`chrome-extension://${browser.extensionId}/popup.html`);
  await page.waitForFunction(() => performance.getEntriesByName('codes-painted').length > 0
    || !document.getElementById('notice').hidden, null, { timeout: 15_000 });
  return page;
}

/** Everything in chrome.storage.local, read from an extension page. */
export async function storedLocal(page) {
  return page.evaluate(() => chrome.storage.local.get(null));
}

/** Adds accounts through the WASM API from an extension page (fast seeding for tests). */
export async function seedAccounts(page, forms) {
  return page.evaluate(async (forms) => {
    const wasm = await import('./pkg/toolbar_authenticator.js');
    await wasm.default();
    const auth = await wasm.Authenticator.load();
    const ids = [];
    for (const form of forms) ids.push(await auth.add(form));
    return ids;
  }, forms);
}

/** The code oathtool computes for a base32 key at Unix time `t` (seconds). */
export function oathtool({ key, algorithm = 'SHA1', digits = 6, period = 30 }, t) {
  return execFileSync('oathtool', [
    `--totp=${algorithm}`, '-b', '-d', String(digits), '-s', `${period}s`, '-N', `@${t}`, key,
  ], { encoding: 'utf8' }).trim();
}

/** Same for HOTP at a counter. */
export function oathtoolHotp({ key, digits = 6 }, counter) {
  return execFileSync('oathtool', ['--hotp', '-b', '-d', String(digits), '-c', String(counter), key], {
    encoding: 'utf8',
  }).trim();
}

/**
 * Waits, if needed, until at least `marginMs` remain in the current period and `marginMs` have
 * passed since it began, so a code read now cannot straddle a boundary.
 */
export async function awayFromBoundary(period, marginMs = 1500) {
  for (;;) {
    const into = Date.now() % (period * 1000);
    if (into >= marginMs && period * 1000 - into >= marginMs) return;
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** The code button of the account whose label starts with `label`. */
export function codeButton(page, label) {
  return page.getByRole('button', { name: new RegExp(`^Copy code for ${escapeRegExp(label)}`) });
}

export function escapeRegExp(text) {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The displayed code without grouping spaces. */
export async function shownCode(page, label) {
  return (await codeButton(page, label).textContent()).replace(/\s/g, '');
}
