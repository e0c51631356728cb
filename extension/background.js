// Background service worker. It holds nothing secret and instantiates no WebAssembly at start
// (only the backup check, below, does, when it runs, inside its own error handling), so nothing
// can keep its listeners from being registered: they come first, at the top level, and work after
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

// ---- Backups (issue 15) -------------------------------------------------------------------
// The popup's backup notice (src/backup_reminder.rs) and the optional automatic backup
// (src/transfer/auto_backup.rs) are decided in the core, through the second module (the Import
// and export page's), instantiated only when a check runs. A check runs when the accounts, the
// backup facts or the unlocked key change, once a day, and when a delayed automatic backup is
// due. The automatic backup needs the optional `downloads` permission, asked when it is turned on.

import initTransfer, { autoBackupDone, backupCheck } from './pkg/toolbar_authenticator_transfer.js';

const BACKUP_DAILY_ALARM = 'backup-check';
const AUTO_BACKUP_ALARM = 'auto-backup';
/** Storage keys whose change calls for a check (never `backup_notice`, which a check writes). */
const BACKUP_INPUTS = ['vault', 'backup_facts', 'backup_dismissed', 'auto_backup'];

let transferReady = null;
let backupChain = Promise.resolve();
let backupQueued = false;

/** Runs one check after any in progress; several requests while one waits make one check. */
function queueBackupCheck() {
  if (backupQueued) return backupChain;
  backupQueued = true;
  backupChain = backupChain.then(async () => {
    backupQueued = false;
    try {
      await runBackupCheck();
    } catch (error) {
      // Never a key or an account in these messages (codes and storage errors only).
      console.warn('backup check failed:', error?.code ?? '', error?.message ?? error);
    }
  });
  return backupChain;
}

/** A URL the downloads API accepts for these bytes (a service worker has no object URLs). */
function downloadUrl(bytes) {
  if (typeof URL.createObjectURL === 'function') {
    return URL.createObjectURL(new Blob([bytes], { type: 'application/json' }));
  }
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) {
    binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  }
  return `data:application/json;base64,${btoa(binary)}`;
}

async function runBackupCheck() {
  transferReady ??= initTransfer();
  await transferReady;
  const result = await backupCheck(Date.now() / 1000, -new Date().getTimezoneOffset());
  if (result.due === 'at') chrome.alarms.create(AUTO_BACKUP_ALARM, { when: result.at * 1000 });
  if (result.due !== 'now' || !chrome.downloads) return;
  const url = downloadUrl(result.file.bytes);
  const id = await chrome.downloads.download({
    url, filename: result.file.fileName, conflictAction: 'uniquify', saveAs: false,
  });
  if (url.startsWith('blob:')) setTimeout(() => URL.revokeObjectURL(url), 60_000);
  const older = await autoBackupDone(id, result.revision, Date.now() / 1000);
  for (const oldId of older) {
    await chrome.downloads.removeFile(oldId).catch(() => {}); // already deleted by the person
    await chrome.downloads.erase({ id: oldId });
  }
}

chrome.storage.onChanged.addListener((changes, area) => {
  const keys = Object.keys(changes);
  if ((area === 'local' && keys.some((key) => BACKUP_INPUTS.includes(key)))
    || (area === 'session' && keys.includes(SESSION_KEY))) {
    queueBackupCheck();
  }
});

chrome.alarms.onAlarm.addListener((alarm) => {
  if (alarm.name === BACKUP_DAILY_ALARM || alarm.name === AUTO_BACKUP_ALARM) queueBackupCheck();
});

function startBackupChecks() {
  chrome.alarms.create(BACKUP_DAILY_ALARM, { periodInMinutes: 24 * 60 });
  queueBackupCheck();
}
chrome.runtime.onInstalled.addListener(startBackupChecks);
chrome.runtime.onStartup.addListener(startBackupChecks);
