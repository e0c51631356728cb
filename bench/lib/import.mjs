// Part 6: the Import page opening a 1,000-account encrypted Aegis file, and both WebAssembly
// modules' sizes. The file is written by our own Aegis writer (examples/import_bench_fixture.rs:
// scrypt n = 2^15, r = 8, p = 1, as Aegis writes), once with 1,000 accounts and once with one,
// same key derivation. Each round opens both in the real page as a person does (file chosen,
// password typed, Open pressed) and times Open to the preview on screen; the one-account file's
// time is the key derivation (plus one row), so 1,000 accounts minus one account, round by
// round, is the preview's own cost.

import { execFileSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT } from '../../tests/e2e/harness.mjs';
import { interleave, spread } from './rounds.mjs';
import { fileSize } from './sizes.mjs';

const PASSWORD = 'bench password';
/** Accounts in the big file, and the stored accounts its entries are compared with. */
export const IMPORT_ACCOUNTS = 1000;
const STORED_ACCOUNTS = 100;

/** Writes the two encrypted Aegis files; resolves to `{dir, files: {name: path}}`. */
async function fixtures() {
  const dir = await mkdtemp(join(tmpdir(), 'tba-import-bench-'));
  const files = {};
  for (const count of [IMPORT_ACCOUNTS, 1]) {
    const path = join(dir, `aegis-${count}.json`);
    execFileSync('cargo', ['run', '--quiet', '--example', 'import_bench_fixture', '--', String(count), PASSWORD, path], {
      cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'],
    });
    files[`aegis_${count}`] = path;
  }
  return { dir, files };
}

/** Opens transfer.html and waits for its module. */
async function openImportPage(browser) {
  const page = await browser.context.newPage();
  const errors = [];
  page.on('pageerror', (error) => errors.push(error.message));
  await page.goto(`chrome-extension://${browser.extensionId}/transfer.html`);
  await page.waitForFunction(() => performance.getEntriesByName('transfer-ready').length > 0, null, { timeout: 30_000 })
    .catch((error) => { throw new Error(`the Import page did not load: ${errors.join('; ') || error.message}`); });
  return { page, errors };
}

/** One open: choose `file`, type the password, press Open; ms from Open to the preview shown. */
async function openOnce(page, file, rows) {
  await page.getByLabel('Backup file').setInputFiles(file);
  await page.getByLabel('File password').waitFor({ state: 'visible', timeout: 30_000 });
  await page.getByLabel('File password').fill(PASSWORD);
  const before = await page.evaluate(() => performance.getEntriesByName('import-preview-shown').length);
  await page.getByRole('button', { name: 'Open' }).click();
  const ms = await page.waitForFunction((n) => {
    const shown = performance.getEntriesByName('import-preview-shown');
    if (shown.length <= n) return false;
    return shown.at(-1).startTime - performance.getEntriesByName('import-open').at(-1).startTime;
  }, before, { timeout: 60_000, polling: 50 });
  const figure = await ms.jsonValue();
  const shownRows = await page.locator('#preview-rows tr').count();
  if (shownRows !== rows) throw new Error(`the preview showed ${shownRows} rows, not ${rows}`);
  await page.getByRole('button', { name: 'Cancel' }).click();
  return figure;
}

/**
 * Part 6: `rounds` interleaved rounds of opening the 1,000-account and the one-account file,
 * with `STORED_ACCOUNTS` of `keys` stored (each entry is compared with them).
 */
export async function importTimes(browser, benchPage, { keys, rounds }) {
  await benchPage.evaluate((k) => globalThis.benchSeed(k), keys.slice(0, STORED_ACCOUNTS));
  const { dir, files } = await fixtures();
  const { page, errors } = await openImportPage(browser);
  try {
    const rows = { aegis_1000: IMPORT_ACCOUNTS, aegis_1: 1 };
    const measured = await interleave(Object.keys(files), rounds, (name) => openOnce(page, files[name], rows[name]));
    const preview = measured.map((r) => r.aegis_1000 - r.aegis_1);
    return {
      accounts: IMPORT_ACCOUNTS,
      stored: STORED_ACCOUNTS,
      rounds: measured,
      kdfMs: spread(measured.map((r) => r.aegis_1)),
      totalMs: spread(measured.map((r) => r.aegis_1000)),
      previewMs: spread(preview),
    };
  } catch (error) {
    throw new Error(`import bench: ${error.message}${errors.length ? ` (page: ${errors.join('; ')})` : ''}`);
  } finally {
    await page.close();
    await rm(dir, { recursive: true, force: true });
    await benchPage.evaluate(() => globalThis.benchSeed([]));
  }
}

/** `{popup, transfer}`: each module's wasm + glue (+ snippets), raw and gzip -9 bytes. */
export function moduleSizes(dist) {
  const sum = (paths) => paths.map((p) => fileSize(join(dist, p))).reduce(
    (a, b) => ({ raw: a.raw + b.raw, gzip: a.gzip + b.gzip }), { raw: 0, gzip: 0 },
  );
  return {
    popup: sum(['pkg/toolbar_authenticator_bg.wasm', 'pkg/toolbar_authenticator.js']),
    transfer: sum(['pkg/toolbar_authenticator_transfer_bg.wasm', 'pkg/toolbar_authenticator_transfer.js']),
  };
}
