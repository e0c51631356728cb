// Popup time to codes in Firefox beside Chromium's, with 0 and 1,000 accounts.
//
//   node bench/firefox.mjs [--opens N]      (after `cargo xtask build`; default 15 opens)
//
// Each browser gets one profile per account count, holding a plain vault (the stored
// "schema": 1 record) of that many accounts. Then the popup is opened N times in each of the
// four, interleaved (one open of each in turn, so a slow spell of this shared machine hits all
// four alike), after one warm-up open each. A figure is the popup's own `codes-visible` mark:
// milliseconds from its navigation start to the first frame with the codes, the same mark
// bench/run.mjs reads in Chromium. Prints the medians as a table; `measure()` returns them.

import { createHash } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import * as chromium from '../tests/e2e/drivers/chromium.mjs';
import * as firefox from '../tests/e2e/drivers/firefox.mjs';

const DRIVERS = [chromium, firefox];
const COUNTS = [0, 1000];

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** A distinct 20-byte key for account `i`, in base32. */
function key(i) {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = '';
  for (const byte of createHash('sha1').update(`bench key ${i}`).digest()) {
    bits += byte.toString(2).padStart(8, '0');
  }
  return bits.match(/.{5}/g).map((chunk) => alphabet[parseInt(chunk, 2)]).join('');
}

/** The stored record of a plain vault of `count` TOTP accounts (tests/data/vault-schema1.json's form). */
function vaultRecord(count) {
  const accounts = Array.from({ length: count }, (_, i) => ({
    id: i.toString(16).padStart(32, '0'),
    issuer: `Service ${i}`,
    name: `user${i}@example.com`,
    type: 'totp',
    algorithm: 'SHA1',
    digits: 6,
    period: 30,
    secret: key(i),
  }));
  return JSON.stringify({ schema: 1, revision: 1, accounts });
}

/** Opens the popup once; ms from navigation start to `codes-visible`, after checking the rows. */
async function openTimed(session, count) {
  const page = await session.openPopup();
  try {
    const ms = await page.waitFor(
      () => performance.getEntriesByName('codes-visible')[0]?.startTime,
      null,
      { timeout: 30_000 },
    );
    const rows = await page.waitFor((n) => {
      const codes = [...document.querySelectorAll('#accounts button.code')];
      return codes.length === n && codes.every((b) => b.textContent.trim()) && n + 1;
    }, count, { timeout: 30_000 });
    if (rows !== count + 1) throw new Error(`expected ${count} codes`);
    return ms;
  } finally {
    await page.close();
  }
}

/**
 * Measures every browser at every account count; resolves to
 * `{ [browser]: { [count]: { medianMs, runsMs } } }`.
 */
export async function measure({ opens = 15 } = {}) {
  const runs = [];
  try {
    for (const driver of DRIVERS) {
      for (const count of COUNTS) {
        const session = await driver.start();
        runs.push({ driver, count, session, ms: [] });
        const page = await session.openPopup();
        const record = count > 0 ? vaultRecord(count) : null;
        await page.evaluate(async (vault) => {
          await chrome.storage.local.clear();
          if (vault) await chrome.storage.local.set({ vault });
        }, record);
        await page.close();
        await openTimed(session, count); // warm-up
      }
    }
    for (let i = 0; i < opens; i += 1) {
      for (const run of runs) run.ms.push(await openTimed(run.session, run.count));
    }
  } finally {
    for (const { session } of runs) {
      await session.close().catch(() => {});
      await session.cleanup().catch(() => {});
    }
  }
  const result = {};
  for (const { driver, count, ms } of runs) {
    result[driver.name] ??= {};
    result[driver.name][count] = { medianMs: median(ms), runsMs: ms };
  }
  return result;
}

/** The table of medians, Markdown. */
export function table(result, opens) {
  const fmt = (n) => n.toFixed(1);
  const lines = [
    `| Popup: navigation start to codes visible (median of ${opens}) | Chromium ms | Firefox ms | Firefox / Chromium |`,
    '|---|---:|---:|---:|',
  ];
  for (const count of COUNTS) {
    const c = result.chromium[count].medianMs;
    const f = result.firefox[count].medianMs;
    lines.push(`| ${count.toLocaleString('en')} accounts | ${fmt(c)} | ${fmt(f)} | ${(f / c).toFixed(2)}x |`);
  }
  return lines.join('\n');
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const at = process.argv.indexOf('--opens');
  const opens = at > 0 ? Number(process.argv[at + 1]) : 15;
  if (!Number.isInteger(opens) || opens < 1) {
    console.error('usage: node bench/firefox.mjs [--opens N]');
    process.exit(2);
  }
  const result = await measure({ opens });
  console.log(table(result, opens));
}
