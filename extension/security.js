// Password settings, auto-lock and records kept aside. Passwords go straight from the field to
// WASM; the fields are cleared afterwards. Keys are derived, sealed and stored by the core, and
// the hint under a new password comes from it. Loaded when Settings opens, not with the popup:
// codes never wait for it.

import { renderClockSettings } from './clock-settings.js';
import { renderClipboardSettings } from './clipboard-settings.js';
import { errorText, t } from './i18n.js';
import { renderKeptAside } from './kept-aside.js';

/** Storage key of "Lock when the computer is locked or idle" (background.js reads it). */
const LOCK_ON_IDLE_KEY = 'lockOnIdle';

const $ = (id) => document.getElementById(id);

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

let forms = null;
/** The second module (password hints, records kept aside, Argon2id), loaded with Settings. */
let second = null;

async function secondModule() {
  if (!second) {
    const module = await import('./pkg/toolbar_authenticator_settings.js');
    await module.default();
    second = module;
  }
  return second;
}

/**
 * Shows Settings, wiring its forms on first use; `refresh` re-renders an open Settings (what
 * is stored changed elsewhere) without moving the focus.
 * @param {Parameters<typeof wireSecurity>[0] & {showView: (id: string) => void}} app
 */
export async function openSettings(app, refresh = false) {
  const module = await secondModule();
  forms ??= wireSecurity({
    passwordHint: module.passwordHint,
    ...app,
    changed: () => {
      app.changed();
      forms.render(app.auth().status().protected);
    },
  });
  await forms.render(app.auth().status().protected);
  await renderKeptAside(module, download, app.announce);
  if (refresh) return;
  const commands = await chrome.commands.getAll();
  const shortcut = commands.find((command) => command.name === '_execute_action')?.shortcut;
  $('shortcut-text').textContent = shortcut ? t('shortcutHint', shortcut) : t('shortcutNone');
  await renderClockSettings();
  await renderClipboardSettings();
  app.showView('settings-view');
  $('settings-view').querySelector('.cancel').focus();
}

/** Shows the core's hint for the new password in `input` under it, as it is typed. */
function hintAsTyped(input, passwordHint) {
  const hint = $(`${input.id}-hint`);
  const show = () => {
    hint.textContent = input.value
      ? t(`passwordHint_${passwordHint(input.value).replace(/-/g, '_')}`)
      : t('passwordRule');
  };
  input.addEventListener('input', show);
  return show;
}

/** Offers `text` as a download named `toolbar-authenticator-<what>-<date>.json`. */
export function download(text, what) {
  const url = URL.createObjectURL(new Blob([text], { type: 'application/json' }));
  const link = document.createElement('a');
  link.href = url;
  link.download = `toolbar-authenticator-${what}-${new Date().toISOString().slice(0, 10)}.json`;
  link.click();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/**
 * Wires the password forms and the auto-lock choice.
 * @param {{auth: () => any, announce: (text: string) => void, changed: () => void,
 *   autoLockMinutes: () => Promise<number>, setAutoLock: (minutes: number) => Promise<void>,
 *   passwordHint: (text: string) => string}} app
 */
function wireSecurity(app) {
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
    await app.setAutoLock(Number($('autolock').value));
  });
  $('lock-idle').addEventListener('change', async () => {
    await chrome.storage.local.set({ [LOCK_ON_IDLE_KEY]: $('lock-idle').checked });
  });
  const hints = [hintAsTyped($('p-new'), app.passwordHint), hintAsTyped($('c-new'), app.passwordHint)];

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
      for (const show of hints) show();
      $('lock-idle').checked = (await chrome.storage.local.get(LOCK_ON_IDLE_KEY))[LOCK_ON_IDLE_KEY] !== false;
      const minutes = await app.autoLockMinutes();
      const select = $('autolock');
      select.value = String(minutes);
      if (select.value !== String(minutes)) {
        // A value set outside the list (tests, policy): show it as a custom option.
        select.append(new Option(`${minutes}`, String(minutes), true, true));
      }
    },
  };
}
