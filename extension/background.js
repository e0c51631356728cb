// Background service worker. It holds nothing secret and loads no WebAssembly, so nothing can
// keep its listeners from being registered: they come first, at the top level, and work after
// the worker has been stopped and woken again. It locks the vault (forgets the session key)
// when the auto-lock alarm fires, when the system locks or the user has been idle for the
// auto-lock delay (unless turned off in Settings), and when the browser starts. Locking takes
// the same Web Lock as every vault write (src/wasm/storage.rs), so a write in flight can never
// undo it.

import './clipboard-worker.js';

/** Session-storage key of the derived vault key while unlocked (src/store.rs SESSION_KEY). */
const SESSION_KEY = 'vault_key';
/** The Web Lock every vault write takes (src/wasm/storage.rs VAULT_LOCK). */
const VAULT_LOCK = 'toolbar-authenticator-vault';
/** The alarm popup.js sets after each use. */
const ALARM = 'auto-lock';
/** Settings, as popup.js and security.js store them. */
const AUTO_LOCK_KEY = 'autoLockMinutes';
const DEFAULT_AUTO_LOCK_MINUTES = 15;
const LOCK_ON_IDLE_KEY = 'lockOnIdle';

/** Forgets the session key, under the vault's Web Lock. */
function lockVault() {
  return navigator.locks.request(VAULT_LOCK, () => chrome.storage.session.remove(SESSION_KEY));
}

/** The auto-lock delay in minutes (0: never). */
function autoLockMinutes(stored) {
  const minutes = stored[AUTO_LOCK_KEY];
  return typeof minutes === 'number' && minutes >= 0 ? minutes : DEFAULT_AUTO_LOCK_MINUTES;
}

chrome.alarms.onAlarm.addListener(async (alarm) => {
  if (alarm.name === ALARM) await lockVault();
});

chrome.runtime.onStartup.addListener(async () => {
  // Session storage is memory-only, so a restarted browser starts locked; make sure of it.
  await lockVault();
});

chrome.idle.onStateChanged.addListener(async (state) => {
  if (state === 'active') return;
  const stored = await chrome.storage.local.get([LOCK_ON_IDLE_KEY, AUTO_LOCK_KEY]);
  if (stored[LOCK_ON_IDLE_KEY] === false) return;
  // "idle" comes after the auto-lock delay without input (see below); with auto-lock set to
  // never, only a locked system locks the vault.
  if (state === 'locked' || autoLockMinutes(stored) > 0) await lockVault();
});

/** The system counts the user idle after the auto-lock delay (at least 15 s, its minimum). */
async function followAutoLockDelay() {
  const minutes = autoLockMinutes(await chrome.storage.local.get(AUTO_LOCK_KEY));
  chrome.idle.setDetectionInterval(Math.max(15, Math.round((minutes || 60) * 60)));
}

chrome.storage.onChanged.addListener((changes, area) => {
  if (area === 'local' && AUTO_LOCK_KEY in changes) followAutoLockDelay();
});

followAutoLockDelay();
