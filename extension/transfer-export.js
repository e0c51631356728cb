// The Export half of the Import and export page (transfer.html). Every file is built in the
// second module (Exporter, src/wasm/transfer/export.rs): this file forwards the choice and the
// passwords, then saves the bytes it is handed as a download. It never sees a key or a link on
// its own. The automatic backup's settings are here too; the background worker makes those
// backups (background.js).

import {
  Exporter, autoBackupState, disableAutoBackup, enableAutoBackup, googleAuthenticatorCodes,
} from './pkg/toolbar_authenticator_transfer.js';
import {
  errorText, number, plural, t,
} from './i18n.js';
import { timeAgo } from './backup-time.js';
import { drawQr } from './qr-draw.js';

const $ = (id) => document.getElementById(id);

/** Returns the page's vault handle (`Authenticator`); set by `wireExport`. */
let auth = () => { throw new Error('wireExport() first'); };
/** Made on first use: the module is instantiated after this file is loaded. */
let exporterHandle = null;
const exporter = () => (exporterHandle ??= new Exporter());
/** The popup's Back up now opens the page at #backup: shown once, not on every re-render. */
let backupAsked = location.hash === '#backup';
/** Set after the first Download of a plain Aegis vault: the second press confirms it. */
let plainConfirmed = false;

const kind = () => document.querySelector('input[name="export-kind"]:checked').value;

// ---- messages on the page -----------------------------------------------------------------

/** Shows a field's error (`field` as the core names it) or the form's. */
function showError(error, prefix = 'backup', fallback = 'export-error') {
  const field = { 'backup-password': `${prefix}-password`, 'backup-confirm': `${prefix}-confirm` }[error?.field];
  const target = $(field ? `${field}-error` : fallback);
  target.textContent = errorText(error);
  target.hidden = false;
  if (field) $(field).focus();
}

function clearErrors(...ids) {
  for (const id of ids) $(id).hidden = true;
}

function showResult(text) {
  const result = $('export-result');
  result.textContent = '';
  // A fresh text node in a later task makes screen readers announce a repeat too.
  setTimeout(() => { result.textContent = text; }, 30);
}

/** Lets the page paint "Encrypting…" before a key derivation holds the thread. */
const nextFrame = () => new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve)));

/** Saves `bytes` as a download named `fileName` (the browser's own download: no permission). */
function save(bytes, fileName, type) {
  const url = URL.createObjectURL(new Blob([bytes], { type }));
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

// ---- the choice ---------------------------------------------------------------------------

function showChoice() {
  const chosen = kind();
  const plain = chosen === 'aegis' && $('aegis-plain').checked;
  $('export-passwords').hidden = chosen === 'otpauth' || chosen === 'google' || plain;
  $('export-download').textContent = chosen === 'google' ? t('showQrCodes') : t('download');
  if (chosen !== 'google') hideGoogleCodes();
  $('aegis-plain-choice').hidden = chosen !== 'aegis';
  $('otpauth-warning').hidden = chosen !== 'otpauth';
  $('export-confirm').hidden = true;
  plainConfirmed = false;
  clearErrors('backup-password-error', 'backup-confirm-error', 'export-error');
}

/** The file for the choice, or null when a confirmation is still needed. */
async function make() {
  const now = Date.now() / 1000;
  const offset = -new Date().getTimezoneOffset();
  const password = $('backup-password').value;
  const confirmation = $('backup-confirm').value;
  switch (kind()) {
    case 'backup':
      exporter().setBackupPassword(password, confirmation);
      try {
        return await exporter().encryptedBackup(auth(), now, offset);
      } finally {
        exporter().forgetBackupPassword();
      }
    case 'aegis':
      if (!$('aegis-plain').checked) {
        return exporter().aegisVault(auth(), password, confirmation, now, offset);
      }
      if (!plainConfirmed) {
        plainConfirmed = true;
        $('export-confirm').textContent = t('aegisPlainConfirm');
        $('export-confirm').hidden = false;
        return null;
      }
      return exporter().aegisPlain(auth(), now, offset);
    default:
      if (!$('otpauth-understood').checked) {
        // A code of the page's own (its words: 'error_export_not_confirmed').
        throw Object.assign(new Error('export.not-confirmed'), { code: 'export.not-confirmed' });
      }
      return exporter().otpauthList(auth(), now, offset);
  }
}

// ---- Export to Google Authenticator -------------------------------------------------------

/** Width each transfer code is drawn at, in CSS pixels: easy for a phone across a desk. */
const GOOGLE_QR_PIXELS = 360;

function hideGoogleCodes() {
  $('google-codes').replaceChildren();
  $('google-refused-list').replaceChildren();
  $('google-export').hidden = true;
}

/** Why an account was left out, in words. */
function refusedText(refused) {
  const label = refused.issuer && refused.account
    ? `${refused.issuer} (${refused.account})`
    : refused.issuer || refused.account;
  const reason = t(`refused_${refused.code.replace(/[^a-z0-9]+/gi, '_')}`, ...refused.values);
  return t('refusedAccount', label, reason);
}

/** Shows the transfer codes ("1 of 3") of every account Google Authenticator can hold. */
async function showGoogleCodes() {
  await auth().reload(); // another window may have changed the accounts
  const made = googleAuthenticatorCodes(auth());
  const parts = made.codes.length;
  $('google-codes').replaceChildren(...made.codes.map((drawing, index) => {
    const figure = document.createElement('figure');
    const caption = document.createElement('figcaption');
    caption.textContent = t('qrPartOf', number(index + 1), number(parts));
    figure.append(drawQr(drawing, t('qrPartName', number(index + 1), number(parts)), GOOGLE_QR_PIXELS), caption);
    const item = document.createElement('li');
    item.append(figure);
    return item;
  }));
  $('google-refused-list').replaceChildren(...made.refused.map((refused) => {
    const item = document.createElement('li');
    item.textContent = refusedText(refused);
    return item;
  }));
  $('google-refused').hidden = made.refused.length === 0;
  $('google-export').hidden = false;
  $('google-export').scrollIntoView();
  const count = auth().status().count - made.refused.length;
  if (parts === 0) showResult(t('googleExportNone'));
  else showResult(plural('googleExportShown', count));
}

async function download(event) {
  event.preventDefault();
  clearErrors('backup-password-error', 'backup-confirm-error', 'export-error');
  if (kind() === 'google') {
    try {
      await showGoogleCodes();
    } catch (failure) {
      hideGoogleCodes();
      showError(failure);
    }
    return;
  }
  const button = $('export-download');
  button.disabled = true;
  button.textContent = kind() === 'otpauth' ? t('exporting') : t('encrypting');
  try {
    await auth().reload(); // another window may have changed the accounts
    await nextFrame();
    const made = await make();
    if (!made) return;
    save(made.bytes, made.fileName, made.fileName.endsWith('.txt') ? 'text/plain' : 'application/json');
    $('backup-password').value = '';
    $('backup-confirm').value = '';
    $('export-confirm').hidden = true;
    plainConfirmed = false;
    showResult(plural('exportSaved', made.count, made.fileName));
  } catch (failure) {
    showError(failure);
  } finally {
    button.disabled = false;
    button.textContent = t('download');
  }
}

// ---- automatic backup ---------------------------------------------------------------------

async function showAutoBackup() {
  let state = { enabled: false, last: null, problem: null };
  try {
    state = await autoBackupState(auth());
  } catch {
    // Locked: the page shows the unlock form instead.
  }
  const asking = !state.enabled || state.problem === 'auto-backup.stale-key';
  let status = t('autoBackupIsOff');
  if (state.problem === 'auto-backup.stale-key') status = t('autoBackupStale');
  else if (state.enabled) status = t('autoBackupIsOn', state.last ? timeAgo(state.last) : t('autoBackupNotYet'));
  $('auto-backup-status').textContent = status;
  $('auto-backup-form').hidden = !asking;
  $('auto-backup-off').hidden = !state.enabled;
}

function turnOn(event) {
  event.preventDefault();
  clearErrors('auto-password-error', 'auto-confirm-error', 'auto-backup-error');
  const password = $('auto-password').value;
  const confirmation = $('auto-confirm').value;
  const button = $('auto-backup-form').querySelector('[type=submit]');
  // Asked first, while the click still counts as the person's gesture.
  const granted = chrome.permissions.request({ permissions: ['downloads'] });
  (async () => {
    if (!(await granted)) {
      $('auto-backup-error').textContent = t('autoBackupNeedsDownloads');
      $('auto-backup-error').hidden = false;
      return;
    }
    button.disabled = true;
    button.textContent = t('encrypting');
    try {
      await nextFrame();
      await enableAutoBackup(auth(), password, confirmation);
      $('auto-password').value = '';
      $('auto-confirm').value = '';
      await showAutoBackup();
    } catch (failure) {
      showError(failure, 'auto', 'auto-backup-error');
    } finally {
      button.disabled = false;
      button.textContent = t('autoBackupOn');
    }
  })();
}

async function turnOff() {
  await disableAutoBackup();
  await chrome.permissions.remove({ permissions: ['downloads'] }).catch(() => false);
  await showAutoBackup();
}

// ---- wiring -------------------------------------------------------------------------------

/** Wires the Export section; `getAuth` returns the page's current vault handle. */
export function wireExport(getAuth) {
  auth = getAuth;
  for (const radio of document.querySelectorAll('input[name="export-kind"]')) {
    radio.addEventListener('change', showChoice);
  }
  $('aegis-plain').addEventListener('change', showChoice);
  $('export-form').addEventListener('submit', download);
  $('auto-backup-form').addEventListener('submit', turnOn);
  $('auto-backup-off').addEventListener('click', turnOff);
  $('google-hide').addEventListener('click', () => {
    hideGoogleCodes();
    $('export-download').focus();
  });
  chrome.storage.onChanged.addListener((changes, area) => {
    if (area === 'local' && 'auto_backup' in changes) showAutoBackup();
  });
}

/** Once the vault is open: the automatic backup's state, and the section the popup asked for. */
export function showExport() {
  showChoice();
  showAutoBackup();
  if (backupAsked) {
    backupAsked = false;
    $('export-section').scrollIntoView();
    $('backup-password').focus();
  }
}

/** Forgets what was typed (the vault was locked). */
export function clearExport() {
  for (const id of ['backup-password', 'backup-confirm', 'auto-password', 'auto-confirm']) $(id).value = '';
  exporterHandle?.forgetBackupPassword();
  hideGoogleCodes();
}
