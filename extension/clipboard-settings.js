// Settings: the "Clear the clipboard after 30 s" switch (off by default). Turning it on asks
// for the optional clipboardRead and clipboardWrite permissions (reading is how the worker
// knows the clipboard still holds the copied code); turning it off gives them back.

import { announce } from './announce.js';
import { t } from './i18n.js';

const $ = (id) => document.getElementById(id);

/** Local-storage key of the switch; popup.js reads it when copying. */
export const CLEAR_KEY = 'clipboard_clear';
const ACCESS = { permissions: ['clipboardRead', 'clipboardWrite'] };

function build(section) {
  const title = document.createElement('h3');
  title.id = 'clipboard-title';
  title.textContent = t('clipboardTitle');
  const row = document.createElement('div');
  row.className = 'field check-row';
  const box = document.createElement('input');
  box.type = 'checkbox';
  box.id = 'clipboard-clear';
  box.setAttribute('aria-describedby', 'clipboard-hint');
  const label = document.createElement('label');
  label.htmlFor = box.id;
  label.textContent = t('clipboardClearToggle');
  row.append(box, label);
  const hint = document.createElement('p');
  hint.id = 'clipboard-hint';
  hint.className = 'hint';
  hint.textContent = t('clipboardClearHint');
  const error = document.createElement('p');
  error.id = 'clipboard-error';
  error.className = 'field-error';
  error.setAttribute('role', 'alert');
  error.hidden = true;
  box.addEventListener('change', () => setClearing(box.checked));
  section.replaceChildren(title, row, hint, error);
}

async function setClearing(on) {
  const error = $('clipboard-error');
  error.hidden = true;
  if (on) {
    let granted = false;
    try {
      // First await of the change, so the browser still sees the user's gesture.
      granted = await chrome.permissions.request(ACCESS);
    } catch {
      granted = false;
    }
    if (!granted) {
      $('clipboard-clear').checked = false;
      error.textContent = t('clipboardClearDenied');
      error.hidden = false;
      return;
    }
    await chrome.storage.local.set({ [CLEAR_KEY]: true });
  } else {
    await chrome.storage.local.set({ [CLEAR_KEY]: false });
    await chrome.permissions.remove(ACCESS).catch(() => {});
  }
  announce(t(on ? 'settingOn' : 'settingOff', t('clipboardClearToggle')));
}

/** Shows the switch as stored (on only while the permissions are still granted). */
export async function renderClipboardSettings() {
  if (!$('clipboard-title')) build($('clipboard-settings'));
  const stored = (await chrome.storage.local.get(CLEAR_KEY))[CLEAR_KEY] === true;
  $('clipboard-clear').checked = stored && await chrome.permissions.contains(ACCESS);
  $('clipboard-error').hidden = true;
}
