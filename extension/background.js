// Background service worker. It holds nothing secret: it ends the unlocked session when the
// auto-lock alarm fires, and has its own handle on the vault for work that must not depend on
// a popup being open. Listeners are registered at the top level so they work after the worker
// has been stopped and woken again.

import init, { Authenticator } from './pkg/toolbar_authenticator.js';
import './clipboard-worker.js';

/** Session-storage key holding the derived vault key while unlocked (see src/store.rs). */
const SESSION_KEY = 'vault_key';
const ALARM = 'auto-lock';

let ready = null;

/**
 * The worker's handle on the vault (WASM is instantiated on first use, not at start-up).
 * Writes go through the same Web Lock as the popup's, so edits from here and from any number
 * of popups interleave safely; the end-to-end tests use this to prove it.
 */
globalThis.toolbarAuthenticator = {
  async load() {
    ready ??= init();
    await ready;
    return Authenticator.load();
  },
};

chrome.alarms.onAlarm.addListener(async (alarm) => {
  if (alarm.name === ALARM) {
    await chrome.storage.session.remove(SESSION_KEY);
  }
});

chrome.runtime.onStartup.addListener(async () => {
  // Session storage is memory-only, so a restarted browser starts locked; make sure of it.
  await chrome.storage.session.remove(SESSION_KEY);
});
