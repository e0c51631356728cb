// "Clear the clipboard after 30 s" (Settings, off by default), the background worker's part.
// The popup sends the code it copied; the popup may be closed 30 s later, so the worker keeps
// the code in memory-only session storage (never on disk) and sets an alarm (a worker may be
// stopped while it waits). When the alarm fires, the clipboard is emptied if it still holds
// that code: in Chrome through an offscreen document, in Firefox right here (offscreen.js).

/** How long a copied code stays on the clipboard. Test copies of the build shorten it. */
export const CLEAR_AFTER_MS = 30_000;
/** The chrome.alarms alarm that clears the clipboard. */
export const CLIPBOARD_ALARM = 'clipboard-clear';
/** Session-storage key of the code waiting to be cleared. */
export const PENDING_KEY = 'clipboard_pending';

chrome.runtime.onMessage.addListener((message, sender, sendResponse) => {
  if (sender.id !== chrome.runtime.id || message?.type !== 'clipboard-copied'
    || typeof message.code !== 'string') return false;
  remember(message.code).then(() => sendResponse(true), () => sendResponse(false));
  return true;
});

chrome.alarms.onAlarm.addListener((alarm) => {
  if (alarm.name === CLIPBOARD_ALARM) clearPending();
});

async function remember(code) {
  await chrome.storage.session.set({ [PENDING_KEY]: code });
  await chrome.alarms.create(CLIPBOARD_ALARM, { when: Date.now() + CLEAR_AFTER_MS });
}

async function clearPending() {
  const pending = async () => (await chrome.storage.session.get(PENDING_KEY))[PENDING_KEY];
  const code = await pending();
  if (typeof code !== 'string') return;
  try {
    await clearIfStill(code);
  } finally {
    // A code copied while this ran has its own alarm: leave it.
    if ((await pending()) === code) await chrome.storage.session.remove(PENDING_KEY);
  }
}

async function clearIfStill(code) {
  // Chrome only: Firefox has no offscreen documents (nor needs them, its background being a
  // page), which this feature test finds.
  const { offscreen } = chrome;
  if (!offscreen) return (await import('./offscreen.js')).clearIfStill(code);
  try {
    await offscreen.createDocument({
      url: 'offscreen.html',
      reasons: ['CLIPBOARD'],
      justification: 'Empty the clipboard if it still holds the code copied 30 seconds ago.',
    });
  } catch {
    // Already open (an earlier clear still running): use it.
  }
  try {
    return await chrome.runtime.sendMessage({ target: 'offscreen', type: 'clear-clipboard', code });
  } finally {
    await offscreen.closeDocument().catch(() => {});
  }
}
