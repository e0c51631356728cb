// Settings' "Clock check" section: the last successful check and the fallback time source.
// Loaded with Settings (security.js), not with the popup: codes never wait for it.

import { clockFallback, lastClockCheck } from './pkg/toolbar_authenticator.js';
import { announce } from './announce.js';
import { FALLBACK_KEY, isIncognito } from './clock.js';
import { paragraph } from './clock-warning.js';
import { errorText, language, number, t } from './i18n.js';

const $ = (id) => document.getElementById(id);

function lastCheckText(last) {
  if (!last) return t('clockNoCheck');
  const seconds = (ms, sign) => number(ms / 1000, {
    minimumFractionDigits: 1, maximumFractionDigits: 1, signDisplay: sign,
  });
  return t(
    'clockLastCheck',
    last.source,
    new Date(last.measuredAt).toLocaleString(language()),
    seconds(last.offsetMs, 'exceptZero'),
    seconds(last.uncertaintyMs, 'never'),
  );
}

function build(section) {
  const title = document.createElement('h3');
  title.id = 'clock-settings-title';
  title.textContent = t('clockSettingsTitle');
  const intro = paragraph(t('clockSettingsIntro'), 'hint');
  const last = paragraph('');
  last.id = 'clock-last';

  const toggleRow = document.createElement('div');
  toggleRow.className = 'field check-row';
  const checkbox = document.createElement('input');
  checkbox.type = 'checkbox';
  checkbox.id = 'clock-fallback-on';
  const checkLabel = document.createElement('label');
  checkLabel.htmlFor = checkbox.id;
  checkLabel.textContent = t('clockFallbackToggle');
  toggleRow.append(checkbox, checkLabel);

  const urlField = document.createElement('div');
  urlField.className = 'field';
  urlField.id = 'clock-fallback-field';
  const urlLabel = document.createElement('label');
  urlLabel.htmlFor = 'clock-fallback-url';
  urlLabel.textContent = t('clockFallbackUrl');
  const input = document.createElement('input');
  input.id = 'clock-fallback-url';
  input.type = 'url';
  input.autocomplete = 'off';
  input.spellcheck = false;
  input.placeholder = 'https://';
  input.setAttribute('aria-describedby', 'clock-fallback-hint');
  const hint = paragraph(t('clockFallbackHint'), 'hint');
  hint.id = 'clock-fallback-hint';
  const error = paragraph('', 'field-error');
  error.id = 'clock-fallback-error';
  error.setAttribute('role', 'alert');
  error.hidden = true;
  urlField.append(urlLabel, input, hint, error);

  const save = document.createElement('button');
  save.type = 'button';
  save.id = 'clock-fallback-save';
  save.textContent = t('save');

  checkbox.addEventListener('change', () => {
    urlField.hidden = !checkbox.checked;
    if (checkbox.checked) input.focus();
  });
  save.addEventListener('click', () => saveFallback(checkbox.checked, input.value.trim()));
  input.addEventListener('keydown', (event) => {
    if (event.key === 'Enter') {
      event.preventDefault();
      save.click();
    }
  });
  section.replaceChildren(title, intro, last, toggleRow, urlField, save);
}

function fallbackError(text) {
  const error = $('clock-fallback-error');
  error.textContent = text ?? '';
  error.hidden = !text;
  $('clock-fallback-url').setAttribute('aria-invalid', text ? 'true' : 'false');
}

/** The host permission a stored fallback URL needed, or null. */
function permissionOf(url) {
  try {
    return url ? clockFallback(url).permission : null;
  } catch {
    return null;
  }
}

async function forgetPermission(permission) {
  if (!permission) return;
  try {
    await chrome.permissions.remove({ origins: [permission] });
  } catch {
    // Required permissions (or one already gone) cannot be removed; nothing to do.
  }
}

async function saveFallback(on, url) {
  fallbackError(null);
  const stored = () => chrome.storage.local.get(FALLBACK_KEY).then((items) => items[FALLBACK_KEY]);
  if (!on) {
    const previous = await stored();
    await chrome.storage.local.remove(FALLBACK_KEY);
    await forgetPermission(permissionOf(previous));
    announce(t('clockFallbackOff'));
    return;
  }
  let info;
  try {
    info = clockFallback(url);
  } catch (failure) {
    fallbackError(errorText(failure));
    $('clock-fallback-url').focus();
    return;
  }
  let granted = false;
  try {
    // First await of the click, so the browser still sees the user's gesture.
    granted = await chrome.permissions.request({ origins: [info.permission] });
  } catch (failure) {
    fallbackError(errorText(failure));
    return;
  }
  if (!granted) {
    fallbackError(t('clockFallbackDenied', info.source));
    return;
  }
  const previous = await stored();
  await chrome.storage.local.set({ [FALLBACK_KEY]: info.url });
  const oldPermission = permissionOf(previous);
  if (oldPermission !== info.permission) await forgetPermission(oldPermission);
  $('clock-fallback-url').value = info.url;
  announce(t('clockFallbackSaved', info.source));
}

/** Fills the Settings section: the last successful check and the fallback source controls. */
export async function renderClockSettings() {
  const section = $('clock-settings');
  if (!$('clock-settings-title')) build(section);
  const [last, stored] = await Promise.all([
    lastClockCheck(isIncognito()).catch(() => null),
    chrome.storage.local.get(FALLBACK_KEY),
  ]);
  $('clock-last').textContent = lastCheckText(last);
  const url = typeof stored[FALLBACK_KEY] === 'string' ? stored[FALLBACK_KEY] : '';
  $('clock-fallback-on').checked = Boolean(url);
  $('clock-fallback-field').hidden = !url;
  $('clock-fallback-url').value = url;
  fallbackError(null);
}
