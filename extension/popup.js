// The popup: renders what the WASM core returns and forwards what the user does.
// It never parses a key, formats a URI, computes a code or touches storage records itself.

import init, { Authenticator, parseUri, checkSecret } from './pkg/toolbar_authenticator.js';
import { AccountList, labelOf } from './accounts.js';
import { errorText, localise, plural, t } from './i18n.js';
import { announce } from './announce.js';
import { startClockCheck } from './clock.js';
import { scannedLink, wireScan } from './scan.js';
import { submitPassword } from './unlock-form.js';

const $ = (id) => document.getElementById(id);
const VIEWS = [
  'list-view', 'add-view', 'edit-view', 'delete-view', 'settings-view', 'damaged-view', 'lock-view', 'scan-view',
];
/** Session-storage key holding the derived vault key while unlocked (see src/store.rs). */
const SESSION_KEY = 'vault_key';
/** Storage key of the auto-lock delay in minutes (0 = never); background.js reads it too. */
const AUTO_LOCK_KEY = 'autoLockMinutes';
const DEFAULT_AUTO_LOCK_MINUTES = 15;
/** The chrome.alarms alarm that locks the vault (handled in background.js). */
const ALARM = 'auto-lock';
/** Local-storage key of the "Clear the clipboard after 30 s" switch (clipboard-settings.js). */
const CLEAR_CLIPBOARD_KEY = 'clipboard_clear';

/** @type {Authenticator} */
let auth;
/** @type {AccountList} */
let list;
let accountsById = new Map();
let clockOffsetMs = 0;
let tickTimer = 0;
let selectedId = null;
let lastTouch = 0;
/** What opened the view shown (or a function finding it): focus goes back there. */
let opener = null;

function showView(id) {
  for (const view of VIEWS) $(view).hidden = view !== id;
}

/** Shows view `id`; closing it focuses `from` again. */
function openView(id, from) {
  opener = from;
  showView(id);
}

function showNotice(text) {
  $('notice').textContent = text;
  $('notice').hidden = !text;
}

// ---- backup reminder: the background worker decides it (src/backup_reminder.rs) -----------

const backupNotice = async () => JSON.parse((await chrome.storage.local.get('backup_notice')).backup_notice ?? '{}');

async function showBackupReminder() {
  const notice = await backupNotice();
  const { backup_dismissed: dismissed } = await chrome.storage.local.get('backup_dismissed');
  const show = !!notice.remind && dismissed !== notice.revision && auth.status().state === 'ready';
  $('backup-reminder').hidden = !show;
  $('backup-reminder-text').textContent = notice.remind === 'old' ? t('backupReminderOld') : plural('backupReminderAdded', notice.added);
  $('backup-dismiss').onclick = () => {
    $('backup-reminder').hidden = true;
    chrome.storage.local.set({ backup_dismissed: notice.revision });
  };
}

// ---- list ---------------------------------------------------------------------------------

function render() {
  const status = auth.status();
  showBackupReminder(); // not awaited: reads the notice the worker stored
  $('lock-button').hidden = !(status.protected && status.state === 'ready');
  $('add-button').hidden = status.state === 'locked';
  $('settings-button').hidden = status.state === 'locked';
  if (status.state === 'damaged') {
    $('damaged-text').textContent = t('damagedText', errorText(status.problem));
    $('add-button').disabled = true;
    showView('damaged-view');
    return;
  }
  if (status.state === 'locked') {
    clearTimeout(tickTimer);
    list.render([], '');
    accountsById = new Map();
    if ($('lock-view').hidden) {
      showView('lock-view');
      $('u-password').focus();
    }
    return;
  }
  if (!$('lock-view').hidden) showView('list-view');
  if (status.recovered) showNotice(t('recoveredNotice', errorText(status.problem)));
  const accounts = auth.accounts();
  accountsById = new Map(accounts.map((account) => [account.id, account]));
  list.render(accounts, auth.codes());
  $('empty').hidden = accounts.length > 0;
  $('search').parentElement.hidden = accounts.length === 0;
  applySearch();
  scheduleTick();
}

function scheduleTick() {
  clearTimeout(tickTimer);
  const now = Date.now() + clockOffsetMs;
  tickTimer = setTimeout(tick, 1000 - (((now % 1000) + 1000) % 1000) + 4);
}

function tick() {
  list.update(auth.codes());
  scheduleTick();
}

function applySearch() {
  const query = $('search').value.trim();
  const shown = list.filter(query ? new Set(auth.search(query)) : null);
  const noMatch = $('no-match');
  noMatch.hidden = !(query && shown === 0);
  if (!noMatch.hidden) noMatch.textContent = t('noMatch', query);
}

async function copy(id) {
  const code = list.codeOf(id);
  if (!code) return;
  try {
    await navigator.clipboard.writeText(code);
    list.flash(id);
    announce(t('copied'));
  } catch (error) {
    announce(t('copyFailed', error.message));
    return;
  }
  // "Clear the clipboard after 30 s" (clipboard-settings.js): the worker does it, if still there.
  if ((await chrome.storage.local.get(CLEAR_CLIPBOARD_KEY))[CLEAR_CLIPBOARD_KEY] === true) {
    chrome.runtime.sendMessage({ type: 'clipboard-copied', code }).catch(() => {});
  }
}

async function nextCode(id) {
  try {
    await auth.nextCounter(id);
    render();
    list.focus(id);
  } catch (error) {
    showNotice(errorText(error));
  }
}

// ---- add form -----------------------------------------------------------------------------

const addFields = ['issuer', 'name', 'secret', 'type', 'algorithm', 'digits', 'period', 'counter'];

function fieldError(prefix, field, text) {
  const error = $(`${prefix}-${field}-error`) ?? $(`${prefix}-form-error`);
  const input = $(`${prefix}-${field}`);
  error.textContent = text ?? '';
  error.hidden = !text;
  if (input) input.setAttribute('aria-invalid', text ? 'true' : 'false');
}

function clearErrors(form) {
  for (const error of form.querySelectorAll('.field-error')) {
    error.textContent = '';
    error.hidden = true;
  }
  for (const input of form.querySelectorAll('[aria-invalid]')) input.removeAttribute('aria-invalid');
}

function syncTypeFields() {
  const type = $('f-type').value;
  for (const field of $('add-view').querySelectorAll('[data-for-type]')) {
    field.hidden = field.dataset.forType !== type;
  }
  $('f-digits').disabled = type === 'steam';
  $('f-algorithm').disabled = type === 'steam';
}

function openAdd(from = $('add-button')) {
  const form = $('add-view');
  form.reset();
  clearErrors(form);
  $('advanced').open = false;
  syncTypeFields();
  openView('add-view', from);
  $('f-issuer').focus();
}

/** Fills the add form's fields other than the key from `parseUri`'s answer. */
function fillForm(info) {
  $('f-issuer').value = info.issuer;
  $('f-name').value = info.account;
  $('f-type').value = info.type;
  $('f-algorithm').value = info.algorithm;
  $('f-digits').value = String(info.digits);
  $('f-period').value = String(info.period ?? 30);
  $('f-counter').value = String(info.counter ?? 0);
  syncTypeFields();
}

/** When the Secret key field holds an otpauth:// link, fills every other field from it. */
function fillFromLink() {
  const value = $('f-secret').value.trim();
  if (!/^otpauth:\/\//i.test(value)) return;
  try {
    fillForm(parseUri(value));
    fieldError('f', 'secret', null);
  } catch (error) {
    fieldError('f', 'secret', errorText(error));
  }
}

function checkSecretField() {
  const value = $('f-secret').value;
  if (!value.trim()) return;
  const error = checkSecret(value);
  fieldError('f', 'secret', error ? errorText(error) : null);
}

async function submitAdd(event) {
  event.preventDefault();
  const form = $('add-view');
  clearErrors(form);
  const fields = Object.fromEntries(addFields.map((name) => [name, $(`f-${name}`).value]));
  if (scannedLink()) fields.secret = scannedLink();
  try {
    const id = await auth.add(fields);
    form.reset();
    render();
    showView('list-view');
    list.focus(id);
    announce(t('accountAdded', labelOf(accountsById.get(id) ?? {})));
  } catch (error) {
    const field = addFields.includes(error.field) ? error.field : 'form';
    if (['type', 'algorithm', 'digits', 'period', 'counter'].includes(field)) $('advanced').open = true;
    fieldError('f', field, errorText(error));
    ($(`f-${field}`) ?? $('f-secret')).focus();
  }
}

// ---- edit and delete ----------------------------------------------------------------------

function openEdit(id) {
  const account = accountsById.get(id);
  if (!account) return;
  selectedId = id;
  clearErrors($('edit-view'));
  $('e-issuer').value = account.issuer;
  $('e-name').value = account.account;
  openView('edit-view', () => list.button(id, 'edit'));
  $('e-issuer').focus();
}

async function submitEdit(event) {
  event.preventDefault();
  clearErrors($('edit-view'));
  try {
    await auth.rename(selectedId, $('e-issuer').value, $('e-name').value);
    render();
    showView('list-view');
    list.focus(selectedId);
    announce(t('accountSaved'));
  } catch (error) {
    const field = error.field === 'issuer' || error.field === 'name' ? error.field : 'form';
    fieldError('e', field, errorText(error));
  }
}

function openDelete(id) {
  const account = accountsById.get(id);
  if (!account) return;
  selectedId = id;
  const label = account.issuer && account.account
    ? `${account.issuer} (${account.account})`
    : labelOf(account);
  $('delete-text').textContent = t('deleteConfirm', label);
  $('delete-error').hidden = true;
  openView('delete-view', () => list.button(id, 'remove'));
  $('delete-view').querySelector('.cancel').focus();
}

async function confirmDelete() {
  const label = labelOf(accountsById.get(selectedId) ?? {});
  try {
    await auth.remove(selectedId);
    render();
    backToList();
    announce(t('accountDeleted', label));
  } catch (error) {
    $('delete-error').textContent = errorText(error);
    $('delete-error').hidden = false;
  }
}

/** Shows the list, focusing what opened the view closed if it is still there. */
function backToList() {
  showView('list-view');
  const target = typeof opener === 'function' ? opener() : opener;
  opener = null;
  if (target?.isConnected && target.checkVisibility()) target.focus();
  else focusStart();
}

/** Search when there are accounts to search, else the Add account button. */
function focusStart() {
  if (!$('lock-view').hidden) {
    $('u-password').focus();
    return;
  }
  ($('search').parentElement.hidden ? $('add-button') : $('search')).focus();
}

// ---- lock ---------------------------------------------------------------------------------

/** The auto-lock delay in minutes; 0 means never. */
async function autoLockMinutes() {
  const stored = (await chrome.storage.local.get(AUTO_LOCK_KEY))[AUTO_LOCK_KEY];
  return typeof stored === 'number' && stored >= 0 ? stored : DEFAULT_AUTO_LOCK_MINUTES;
}

/** Restarts the idle timer: the vault locks `autoLockMinutes` after the last use. */
async function touchAutoLock() {
  const minutes = await autoLockMinutes();
  if (minutes > 0) {
    await chrome.alarms.create(ALARM, { delayInMinutes: minutes });
  } else {
    await chrome.alarms.clear(ALARM);
  }
}

function submitUnlock(event) {
  return submitPassword(event, (password) => auth.unlock(password), () => {
    render();
    focusStart();
    touchAutoLock();
  });
}

async function lockNow() {
  await auth.lock();
  render();
  announce(t('locked'));
}

/** Any use of the list restarts the auto-lock timer (at most every 20 s). */
function noteActivity() {
  if (Date.now() - lastTouch > 20_000 && auth?.status().state === 'ready') {
    lastTouch = Date.now();
    touchAutoLock();
  }
}

// ---- clock check (clock.js) ---------------------------------------------------------------

/** Makes codes and countdowns follow `device clock + offsetMs` ("Use corrected time"). */
function applyClockOffset(offsetMs) {
  if (offsetMs === clockOffsetMs) return;
  clockOffsetMs = offsetMs;
  auth.setClockOffset(offsetMs);
  render();
}

// ---- settings and damage ------------------------------------------------------------------

/** What security.js (Settings, loaded when first needed: codes never wait for it) uses. */
const settingsApp = {
  auth: () => auth,
  announce,
  showView,
  autoLockMinutes,
  async setAutoLock(minutes) {
    await chrome.storage.local.set({ [AUTO_LOCK_KEY]: minutes });
    await touchAutoLock();
  },
  changed: () => render(),
};

/** Shows Settings; `refresh` re-renders it in place when what is stored changed elsewhere. */
async function openSettings(refresh = false) {
  await (await import('./security.js')).openSettings(settingsApp, refresh);
  const { timeAgo } = await import('./backup-time.js');
  const { lastBackup } = await backupNotice();
  $('last-backup').textContent = lastBackup ? t('lastBackup', timeAgo(lastBackup)) : t('lastBackupNever');
}

async function downloadStored() {
  (await import('./security.js')).download(auth.damagedRecord() ?? '', 'stored');
}

// ---- wiring -------------------------------------------------------------------------------

function wire() {
  list = new AccountList($('accounts'), {
    copy,
    edit: openEdit,
    remove: openDelete,
    next: nextCode,
  });
  $('add-button').addEventListener('click', () => openAdd());
  wireScan({ openAdd, openView, backToList, fillForm });
  $('settings-button').addEventListener('click', () => {
    opener = $('settings-button');
    openSettings();
  });
  $('backup-now').addEventListener('click', () => {
    chrome.tabs.create({ url: chrome.runtime.getURL('transfer.html#backup') });
  });
  $('open-transfer').addEventListener('click', () => {
    chrome.tabs.create({ url: chrome.runtime.getURL('transfer.html') }); // the Import and export page
  });
  $('search').addEventListener('input', applySearch);
  $('search').addEventListener('keydown', (event) => {
    const first = list.firstVisible();
    if (event.key === 'Enter' && first) {
      event.preventDefault();
      copy(first);
    } else if (event.key === 'ArrowDown' && first) {
      event.preventDefault();
      list.focus(first);
    }
  });
  $('add-view').addEventListener('submit', submitAdd);
  $('f-secret').addEventListener('input', () => {
    fieldError('f', 'secret', null);
    fillFromLink();
  });
  $('f-secret').addEventListener('blur', checkSecretField);
  $('f-type').addEventListener('change', syncTypeFields);
  $('edit-view').addEventListener('submit', submitEdit);
  $('show-qr').addEventListener('click', async () => {
    const { toggleQr } = await import('./show-qr.js');
    toggleQr(selectedId, labelOf(accountsById.get(selectedId) ?? {}));
  });
  $('delete-yes').addEventListener('click', confirmDelete);
  $('download-stored').addEventListener('click', downloadStored);
  $('lock-view').addEventListener('submit', submitUnlock);
  $('lock-button').addEventListener('click', lockNow);
  document.addEventListener('pointerdown', noteActivity, true);
  document.addEventListener('keydown', noteActivity, true);
  for (const cancel of document.querySelectorAll('.view .cancel')) {
    cancel.addEventListener('click', backToList);
  }
  document.addEventListener('keydown', (event) => {
    if (event.key === 'Escape' && $('list-view').hidden && $('damaged-view').hidden
      && $('lock-view').hidden) {
      event.preventDefault();
      backToList();
    }
  });
  chrome.storage.onChanged.addListener((changes, area) => {
    if (area === 'local' && 'backup_notice' in changes) showBackupReminder();
    if (area === 'session' && SESSION_KEY in changes) {
      if (!changes[SESSION_KEY].newValue) {
        // Locked elsewhere (Lock now in another window, or the auto-lock alarm).
        auth.forget();
        render();
      } else if (auth.status().state === 'locked') {
        auth.reload().then(render);
      }
    }
    if (area === 'local' && 'vault' in changes) {
      const before = auth.status();
      auth.reload().then(() => {
        const now = auth.status();
        // A new revision, or the same one read differently: protection set or removed
        // elsewhere, or the records damaged. Settings too shows what is stored now.
        if (['revision', 'protected', 'state'].some((field) => now[field] !== before[field])) {
          render();
          if (!$('settings-view').hidden) openSettings(true);
        }
      });
    }
  });
}

async function main() {
  // The module compiles while the page is localised and wired.
  const compiled = init();
  localise();
  wire();
  try {
    await compiled;
    auth = await Authenticator.load();
  } catch (error) {
    showNotice(t('loadFailed', errorText(error)));
    return;
  }
  auth.setClockOffset(clockOffsetMs);
  render();
  if (auth.status().state === 'ready') {
    focusStart();
    touchAutoLock();
  }
  performance.mark('codes-painted');
  requestAnimationFrame(() => performance.mark('codes-visible'));
  startClockCheck({ onOffset: applyClockOffset }); // not awaited: codes never wait for it
}

main();
