// Part 2: popup time to visible codes, against a blank page of the extension itself, with the
// requests every open makes (for the load size and the no-foreign-module check).

import { interleaveFastest, perContender, ratioOf } from './rounds.mjs';

/** The bench-only page with popup.html's shell and no script (written by `benchDist`). */
export const BLANK_PAGE = 'bench-blank.html';

/**
 * Opens `path` in a new tab, recording every request it makes. Resolves to the page and
 * `(until) => [{url, type, atMs}]`: the requests so far, `atMs` from the page's navigation start.
 */
async function openRecorded(browser, path) {
  const page = await browser.context.newPage();
  const errors = [];
  const requests = [];
  page.on('pageerror', (error) => errors.push(error.message));
  page.on('request', (request) => requests.push(request));
  await page.goto(`chrome-extension://${browser.extensionId}/${path}`);
  const recorded = async () => {
    const origin = await page.evaluate(() => performance.timeOrigin);
    return requests.map((r) => ({ url: r.url(), type: r.resourceType(), atMs: r.timing().startTime - origin }));
  };
  return { page, errors, recorded };
}

/**
 * Opens popup.html with the vault seeded beforehand; resolves to `{page, ms, requests}`, `ms`
 * from navigation start to when the codes were first on screen: the render time Element
 * Timing gives for the code buttons (`elementtiming="code"`; with no account, the empty
 * list's heading). That is a paint's presentation time, as the blank page's first contentful
 * paint is; the popup's own `codes-visible` mark is taken at the start of that frame, before
 * it is painted, and the difference grows with load (20 ms in one open), which moved the
 * 0-account ratio between a quiet and a loaded run.
 */
export async function openPopupTimed(browser, expectedRows) {
  const { page, errors, recorded } = await openRecorded(browser, 'popup.html');
  try {
    await page.waitForFunction(() => performance.getEntriesByName('codes-visible').length > 0, null, {
      timeout: 30_000,
    });
  } catch (error) {
    throw new Error(`popup never marked codes-visible: ${errors.join('; ') || error.message}`);
  }
  // The popup builds the rows a window can show first and the rest after the first paint, so
  // at the mark every code inside the viewport must be there; the full list must follow.
  // The rows built by then must also fill the list (a scroller: its rows overflow it), unless
  // every row is built.
  const { inView, blank, built, filled } = await page.evaluate(() => {
    const list = document.getElementById('accounts');
    const buttons = [...list.querySelectorAll('button.code')];
    const shown = buttons.filter((b) => b.getBoundingClientRect().top < innerHeight);
    return {
      inView: shown.length,
      blank: shown.filter((b) => !b.textContent.trim()).length,
      built: buttons.length,
      filled: list.scrollHeight > list.clientHeight,
    };
  });
  // Element Timing entries are only given to an observer (buffered: those already painted).
  const ms = await page.evaluate(() => new Promise((resolve) => {
    new PerformanceObserver((list) => {
      const painted = list.getEntries().filter((e) => e.identifier === 'code').map((e) => e.renderTime || e.loadTime);
      if (painted.length > 0) resolve(Math.min(...painted));
    }).observe({ type: 'element', buffered: true });
    setTimeout(() => resolve(null), 10_000);
  }));
  if (ms === null) throw new Error('no Element Timing entry for the codes (elementtiming="code")');
  if (expectedRows > 0 && (inView === 0 || blank > 0)) {
    throw new Error(`popup painted ${inView} codes in view, ${blank} of them blank`);
  }
  if (built < expectedRows && !filled) {
    throw new Error(`popup showed ${built} of ${expectedRows} rows at codes-visible, not enough to fill the list`);
  }
  await page.waitForFunction(
    (n) => document.querySelectorAll('#accounts button.code').length === n,
    expectedRows,
    { timeout: 30_000 },
  );
  return { page, ms, requests: await recorded() };
}

/** Opens the blank page; resolves to ms from navigation start to its first contentful paint. */
async function openBlankTimed(browser) {
  const { page, errors } = await openRecorded(browser, BLANK_PAGE);
  try {
    const ms = await page.waitForFunction(
      () => performance.getEntriesByName('first-contentful-paint')[0]?.startTime,
      null,
      { timeout: 30_000 },
    );
    return { page, ms: await ms.jsonValue() };
  } catch (error) {
    throw new Error(`the blank page never painted: ${errors.join('; ') || error.message}`);
  }
}

/**
 * Part 2: `rounds` interleaved rounds over the blank page and the popup at every account count
 * (order rotated each pass), each page opened `passes` times a round and figured by its
 * fastest open of the round. Returns the rounds, every page's `{median, min, max}` ms, the
 * per-round ratios (0 accounts against the blank page, every count against 0 accounts) and every
 * popup open's requests.
 */
export async function popupTimes(browser, benchPage, { keys, counts, rounds, passes = 1 }) {
  const opens = [];
  const open = async (name) => {
    if (name === 'blank') {
      const { page, ms } = await openBlankTimed(browser);
      await page.close();
      return ms;
    }
    const count = Number(name);
    await benchPage.evaluate((k) => globalThis.benchSeed(k), keys.slice(0, count));
    const { page, ms, requests } = await openPopupTimed(browser, count);
    opens.push({ accounts: count, codesVisibleMs: ms, requests });
    await page.close();
    return ms;
  };
  const names = ['blank', ...counts.map(String)];
  const measured = await interleaveFastest(names, rounds, passes, open);
  const ratios = { '0 / blank': ratioOf(measured, '0', 'blank') };
  for (const count of counts.filter((c) => c !== 0)) ratios[`${count} / 0`] = ratioOf(measured, String(count), '0');
  return { rounds: measured, pages: perContender(measured), ratios, opens };
}

