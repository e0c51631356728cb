// The Import and export page: a full tab opened from the popup's Settings (a file chooser would
// close the popup in some browsers). It loads only the second WebAssembly module. This file is
// the page's shell: the vault (unlocked first when locked), dropped and pasted files, and the
// two halves: Import (transfer-import.js) and Export (issue 15).

import init, { Authenticator } from './pkg/toolbar_authenticator_transfer.js';
import { errorText, localise, t } from './i18n.js';
import { clearExport, showExport, wireExport } from './transfer-export.js';
import { clearImport, readFile, readScanned, wireImport } from './transfer-import.js';
import { submitPassword } from './unlock-form.js';

const $ = (id) => document.getElementById(id);
/** Session-storage key holding the derived vault key while unlocked (see src/store.rs). */
const SESSION_KEY = 'vault_key';
/** chrome.storage.session key of transfer links the popup's Scan QR code hands over (scan.js). */
const HANDOVER_KEY = 'scan_handover';
/** A handover older than this was left behind (the page never opened): it is dropped unread. */
const HANDOVER_MAX_AGE_MS = 2 * 60_000;

/** @type {Authenticator} */
let auth;

// ---- lock ---------------------------------------------------------------------------------

function render() {
  const status = auth.status();
  $('notice').hidden = true;
  if (status.state === 'damaged') {
    $('notice').textContent = t('damagedText', errorText(status.problem));
    $('notice').hidden = false;
    $('unlock-view').hidden = true;
    $('transfer-view').hidden = true;
    return;
  }
  const locked = status.state === 'locked';
  $('unlock-view').hidden = !locked;
  $('transfer-view').hidden = locked;
  if (locked) {
    clearImport();
    clearExport();
    $('u-password').focus();
  } else {
    showExport();
    takeHandover();
  }
}

// ---- links scanned in the popup -----------------------------------------------------------

/**
 * Takes the transfer links the popup scanned (and removes them from session storage) into the
 * preview, after the parts read before: a batch scanned one part at a time adds up here.
 */
async function takeHandover() {
  if (auth?.status().state !== 'ready') return; // taken once unlocked
  const { [HANDOVER_KEY]: handover } = await chrome.storage.session.get(HANDOVER_KEY);
  if (!handover) return;
  await chrome.storage.session.remove(HANDOVER_KEY);
  if (!Array.isArray(handover.links) || !(Date.now() - handover.at < HANDOVER_MAX_AGE_MS)) return;
  readScanned(handover.links);
  $('import-section').scrollIntoView();
}

/** Comes to the front for the popup's scan, which then opens no second page. */
function onHandover(message, _sender, reply) {
  if (message?.type !== 'scan-handover' || !auth) return;
  reply({ taken: true });
  (async () => {
    const tab = await chrome.tabs.getCurrent();
    if (tab) {
      await chrome.tabs.update(tab.id, { active: true });
      await chrome.windows.update(tab.windowId, { focused: true });
    }
    await takeHandover();
  })();
}

function unlock(event) {
  return submitPassword(event, (password) => auth.unlock(password), () => {
    render();
    $('backup-file').focus();
  });
}

// ---- wiring -------------------------------------------------------------------------------

function wireDrop() {
  const zone = $('drop-zone');
  let depth = 0;
  const hasFiles = (event) => [...(event.dataTransfer?.types ?? [])].includes('Files');
  document.addEventListener('dragenter', (event) => {
    if (!hasFiles(event) || $('transfer-view').hidden) return;
    depth += 1;
    zone.hidden = false;
  });
  document.addEventListener('dragleave', () => {
    depth = Math.max(0, depth - 1);
    if (depth === 0) zone.hidden = true;
  });
  document.addEventListener('dragover', (event) => {
    if (hasFiles(event)) event.preventDefault();
  });
  document.addEventListener('drop', (event) => {
    depth = 0;
    zone.hidden = true;
    const file = event.dataTransfer?.files?.[0];
    if (!file) return;
    event.preventDefault();
    if (!$('transfer-view').hidden) readFile(file);
  });
}

function wire() {
  wireImport(() => auth);
  wireExport(() => auth);
  document.addEventListener('paste', (event) => {
    const file = event.clipboardData?.files?.[0];
    if (!file || $('transfer-view').hidden) return;
    event.preventDefault();
    readFile(file);
  });
  $('unlock-view').addEventListener('submit', unlock);
  wireDrop();
  chrome.runtime.onMessage.addListener(onHandover);
  chrome.storage.onChanged.addListener((changes, area) => {
    if (area === 'session' && SESSION_KEY in changes) {
      if (!changes[SESSION_KEY].newValue) {
        // Locked elsewhere (Lock now, or the auto-lock alarm): forget what was read too, and
        // any scanned links not taken yet.
        auth.forget();
        chrome.storage.session.remove(HANDOVER_KEY);
        render();
      } else if (auth.status().state === 'locked') {
        auth.reload().then(render);
      }
    }
    // Changed in another window: "already in your list" is judged on the fresh list next time.
    if (area === 'local' && 'vault' in changes) auth.reload().then(render);
  });
}

async function main() {
  localise();
  wire();
  try {
    await init();
    auth = await Authenticator.load();
  } catch (error) {
    $('notice').textContent = t('loadFailed', errorText(error));
    $('notice').hidden = false;
    return;
  }
  render();
  if (!$('transfer-view').hidden && !['#backup', '#scan'].includes(location.hash)) $('backup-file').focus();
  performance.mark('transfer-ready');
}

main();
