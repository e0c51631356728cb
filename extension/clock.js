// The clock check's view, the part loaded with the popup: finds the page in the active tab and
// asks WASM to measure the device clock against it (or the fallback source). The warning
// (clock-warning.js) is loaded only when there is something to warn about, and Settings'
// section (clock-settings.js) with Settings, so the popup's load stays small.
// WASM decides everything (which URL, whether to believe the answer, the verdict, whether codes
// follow it); the view only renders. DOM APIs and textContent only.

import { checkClock } from './pkg/toolbar_authenticator.js';

/** Local-storage key of the fallback time source URL (absent: turned off). */
export const FALLBACK_KEY = 'clock_fallback_url';

/** Whether the popup serves an incognito window: nothing about the site then goes to disk. */
let incognito = false;

/** Whether the popup serves an incognito window (known once the check has started). */
export const isIncognito = () => incognito;

/** The active tab's URL in the last focused normal window (not a popup window of ours), and
 * whether that window is incognito. */
async function activeTab() {
  try {
    const win = await chrome.windows.getLastFocused({ populate: true, windowTypes: ['normal'] });
    return { url: win.tabs?.find((tab) => tab.active)?.url, incognito: win.incognito };
  } catch {
    return {};
  }
}

/**
 * Starts the check without blocking anything; codes are already shown from the device clock.
 * @param {{onOffset: (offsetMs: number) => void}} options called with the offset codes should
 *   follow (0 unless "Use corrected time" is on for this site and the clock is off).
 */
export function startClockCheck(options) {
  run(options.onOffset).finally(() => performance.mark('clock-checked'));
}

async function run(onOffset) {
  let result = null;
  try {
    const [tab, stored] = await Promise.all([activeTab(), chrome.storage.local.get(FALLBACK_KEY)]);
    incognito = Boolean(chrome.extension?.inIncognitoContext || tab.incognito);
    const fallback = typeof stored[FALLBACK_KEY] === 'string' ? stored[FALLBACK_KEY] : undefined;
    result = await checkClock(tab.url, fallback, incognito);
  } catch {
    // No check possible: say nothing.
  }
  onOffset(result?.appliedOffsetMs ?? 0);
  if (result && result.severity !== 'none') {
    (await import('./clock-warning.js')).showClockWarning(result, onOffset);
  }
}
