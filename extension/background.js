// Background service worker. It holds nothing secret: it ends the unlocked session when the
// auto-lock alarm fires, and has its own handle on the vault for work that must not depend on
// a popup being open. Listeners are registered at the top level so they work after the worker
// has been stopped and woken again.

import init, { Authenticator } from './pkg/toolbar_authenticator.js';

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
  const result = await backupCheck(Date.now() / 1000);
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

globalThis.toolbarAuthenticator.backupCheck = queueBackupCheck;

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
