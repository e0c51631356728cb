// Password settings and auto-lock. Passwords go straight from the field to WASM; the fields are
// cleared afterwards. Keys are derived, sealed and stored by the core.

import { errorText, t } from './i18n.js';

const $ = (id) => document.getElementById(id);

/** Storage key of the auto-lock delay in minutes (0 = never). */
export const AUTO_LOCK_KEY = 'autoLockMinutes';
export const DEFAULT_AUTO_LOCK_MINUTES = 15;
const ALARM = 'auto-lock';

/** The auto-lock delay in minutes; 0 means never. */
export async function autoLockMinutes() {
  const stored = (await chrome.storage.local.get(AUTO_LOCK_KEY))[AUTO_LOCK_KEY];
  return typeof stored === 'number' && stored >= 0 ? stored : DEFAULT_AUTO_LOCK_MINUTES;
}

/** Restarts the idle timer: the vault locks `autoLockMinutes` after the last use. */
export async function touchAutoLock() {
  const minutes = await autoLockMinutes();
  if (minutes > 0) {
    await chrome.alarms.create(ALARM, { delayInMinutes: minutes });
  } else {
    await chrome.alarms.clear(ALARM);
  }
}

function showError(prefix, field, error) {
  const map = { password: 'new', confirm: 'confirm', current: 'current' };
  const target = $(`${prefix}-${map[error.field] ?? 'current'}-error`) ?? $(`${prefix}-new-error`);
  target.textContent = errorText(error);
  target.hidden = false;
  target.previousElementSibling?.focus?.();
}

function clear(form) {
  for (const input of form.querySelectorAll('input')) input.value = '';
  for (const error of form.querySelectorAll('.field-error')) error.hidden = true;
}

/** Runs a slow key-derivation step with the submit button showing that it is working. */
async function busy(form, work) {
  const button = form.querySelector('[type=submit]');
  const label = button.textContent;
  button.disabled = true;
  button.textContent = t('working');
  try {
    return await work();
  } finally {
    button.disabled = false;
    button.textContent = label;
  }
}

/**
 * Wires the password forms and the auto-lock choice.
 * @param {{auth: () => any, announce: (text: string) => void, changed: () => void}} app
 */
export function wireSecurity(app) {
  const setForm = $('set-password');
  const changeForm = $('change-password');
  const removeForm = $('remove-password');

  setForm.addEventListener('submit', async (event) => {
    event.preventDefault();
    for (const error of setForm.querySelectorAll('.field-error')) error.hidden = true;
    try {
      await busy(setForm, () => app.auth().setPassword($('p-new').value, $('p-confirm').value));
      clear(setForm);
      app.announce(t('passwordSet'));
      app.changed();
    } catch (error) {
      showError('p', error.field, error);
    }
  });

  $('show-change').addEventListener('click', () => showForm(changeForm));
  $('show-remove').addEventListener('click', () => showForm(removeForm));
  for (const cancel of document.querySelectorAll('#settings-view .subcancel')) {
    cancel.addEventListener('click', () => showForm(null));
  }

  changeForm.addEventListener('submit', async (event) => {
    event.preventDefault();
    for (const error of changeForm.querySelectorAll('.field-error')) error.hidden = true;
    try {
      await busy(changeForm, () => app.auth().changePassword(
        $('c-current').value, $('c-new').value, $('c-confirm').value,
      ));
      clear(changeForm);
      showForm(null);
      app.announce(t('passwordChanged'));
      app.changed();
    } catch (error) {
      showError('c', error.field, error);
    }
  });

  removeForm.addEventListener('submit', async (event) => {
    event.preventDefault();
    $('r-current-error').hidden = true;
    const confirmText = $('remove-confirm-text');
    if (confirmText.hidden) {
      confirmText.hidden = false;
      return;
    }
    try {
      await busy(removeForm, () => app.auth().removePassword($('r-current').value));
      clear(removeForm);
      confirmText.hidden = true;
      showForm(null);
      app.announce(t('passwordRemoved'));
      app.changed();
    } catch (error) {
      confirmText.hidden = true;
      showError('r', 'current', error);
    }
  });

  $('autolock').addEventListener('change', async () => {
    await chrome.storage.local.set({ [AUTO_LOCK_KEY]: Number($('autolock').value) });
    await touchAutoLock();
  });

  function showForm(form) {
    for (const candidate of [changeForm, removeForm]) {
      candidate.hidden = candidate !== form;
      if (candidate !== form) clear(candidate);
    }
    $('remove-confirm-text').hidden = true;
    $('password-actions').hidden = form !== null;
    form?.querySelector('input')?.focus();
  }

  return {
    /** Shows the forms that fit the current protection. */
    async render(isProtected) {
      setForm.hidden = isProtected;
      $('password-actions').hidden = !isProtected;
      changeForm.hidden = true;
      removeForm.hidden = true;
      const minutes = await autoLockMinutes();
      const select = $('autolock');
      select.value = String(minutes);
      if (select.value !== String(minutes)) {
        // A value set outside the list (tests, policy): show it as a custom option.
        select.append(new Option(`${minutes}`, String(minutes), true, true));
      }
    },
  };
}
