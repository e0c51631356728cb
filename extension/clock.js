// The clock check's view: finds the page in the active tab, asks WASM to measure the device
// clock against it (or the fallback source), shows the warning and the Settings section.
// WASM decides everything (which URL, whether to believe the answer, the verdict); this file
// only renders and stores the user's two choices. DOM APIs and textContent only.

import { checkClock, clockFallback, lastClockCheck } from './pkg/toolbar_authenticator.js';
import { announce } from './announce.js';
import { errorText, t } from './i18n.js';

const $ = (id) => document.getElementById(id);

/** Local-storage key of the fallback time source URL (absent: turned off). */
export const FALLBACK_KEY = 'clock_fallback_url';
/** Local-storage key of the "Use corrected time" choice. */
export const CORRECTED_KEY = 'clock_use_corrected';

let result = null;
let corrected = false;
let applyOffset = () => {};

/** URL of the active tab in the last focused normal window (not a popup window of ours). */
async function activeTabUrl() {
  try {
    const win = await chrome.windows.getLastFocused({ populate: true, windowTypes: ['normal'] });
    return win.tabs?.find((tab) => tab.active)?.url;
  } catch {
    return undefined;
  }
}

/**
 * Starts the check without blocking anything; codes are already shown from the device clock.
 * @param {{onOffset: (offsetMs: number) => void}} options called with the offset codes should
 *   follow (0 unless "Use corrected time" is on and the clock is off).
 */
export function startClockCheck(options) {
  applyOffset = options.onOffset;
  run().finally(() => performance.mark('clock-checked'));
}

async function run() {
  try {
    const [url, stored] = await Promise.all([
      activeTabUrl(),
      chrome.storage.local.get([FALLBACK_KEY, CORRECTED_KEY]),
    ]);
    corrected = stored[CORRECTED_KEY] === true;
    const fallback = typeof stored[FALLBACK_KEY] === 'string' ? stored[FALLBACK_KEY] : undefined;
    result = await checkClock(url, fallback);
  } catch {
    result = null; // No check possible: say nothing.
  }
  showWarning();
}

/** "2 minutes 13 seconds" from the verdict's parts, with singular and plural forms. */
export function amountText({ hours, minutes, seconds }) {
  const parts = [];
  for (const [count, one, many] of [
    [hours, 'clockHour', 'clockHours'],
    [minutes, 'clockMinute', 'clockMinutes'],
    [seconds, 'clockSecond', 'clockSeconds'],
  ]) {
    if (count === 1) parts.push(t(one));
    else if (count > 1) parts.push(t(many, count));
  }
  return parts.join(' ') || t('clockSeconds', 0);
}

function paragraph(text, className) {
  const p = document.createElement('p');
  if (className) p.className = className;
  p.textContent = text;
  return p;
}

function showWarning() {
  const banner = $('clock-warning');
  const warn = result !== null && result.severity !== 'none';
  applyOffset(warn && corrected ? result.offsetMs : 0);
  if (!warn) {
    banner.hidden = true;
    banner.replaceChildren();
    banner.classList.remove('critical');
    return;
  }
  const amount = amountText(result);
  const where = t(result.direction === 'behind' ? 'clockBehind' : 'clockAhead', amount, result.source);
  const consequence = corrected
    ? t('clockCorrected')
    : t(result.severity === 'critical' ? 'clockWillReject' : 'clockMayReject');
  const lines = [paragraph(`${where} ${consequence}`, 'clock-headline')];
  if (result.timeZoneSuspected) lines.push(paragraph(t('clockTimeZone')));
  lines.push(paragraph(t('clockFix')));
  const toggle = document.createElement('button');
  toggle.type = 'button';
  toggle.id = 'clock-correct';
  toggle.className = 'toggle';
  toggle.textContent = t('clockUseCorrected');
  toggle.setAttribute('aria-pressed', String(corrected));
  toggle.addEventListener('click', async () => {
    corrected = !corrected;
    await chrome.storage.local.set({ [CORRECTED_KEY]: corrected });
    showWarning();
    $('clock-correct')?.focus();
  });
  lines.push(toggle);
  banner.replaceChildren(...lines);
  // Corrected codes will be accepted, so the strong style is for an uncorrected clock only.
  banner.classList.toggle('critical', result.severity === 'critical' && !corrected);
  banner.hidden = false;
}

// ---- settings -----------------------------------------------------------------------------

function lastCheckText(last) {
  if (!last) return t('clockNoCheck');
  const seconds = (ms, sign) => new Intl.NumberFormat(undefined, {
    minimumFractionDigits: 1, maximumFractionDigits: 1, signDisplay: sign,
  }).format(ms / 1000);
  return t(
    'clockLastCheck',
    last.source,
    new Date(last.measuredAt).toLocaleString(),
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
    lastClockCheck().catch(() => null),
    chrome.storage.local.get(FALLBACK_KEY),
  ]);
  $('clock-last').textContent = lastCheckText(last);
  const url = typeof stored[FALLBACK_KEY] === 'string' ? stored[FALLBACK_KEY] : '';
  $('clock-fallback-on').checked = Boolean(url);
  $('clock-fallback-field').hidden = !url;
  $('clock-fallback-url').value = url;
  fallbackError(null);
}
