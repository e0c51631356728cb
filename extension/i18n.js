// Every user-visible string comes from _locales/<lang>/messages.json through chrome.i18n.

/** The message `key`, with `substitutions` filled in; the key itself if missing. */
export function t(key, ...substitutions) {
  const text = chrome.i18n.getMessage(key, substitutions.map(String));
  return text || key;
}

/** The message key of an error code: `error_` and the code with `.` and `-` as `_`. */
const errorKey = (code) => `error_${code.replace(/[^a-z0-9]+/gi, '_')}`;

/** A message value in the reader's language: numbers grouped as the language writes them. */
function valueText(value) {
  return typeof value === 'number'
    ? new Intl.NumberFormat(chrome.i18n.getUILanguage()).format(value)
    : String(value);
}

/**
 * Words for an error from the WebAssembly modules (or the page), which carry data only:
 * `{code, field?, detail?, values?, cause?}`. The message is `error_<detail>` when the locale
 * has one, else `error_<code>`, with `values` as `$1`, `$2`, … and the cause's own words after
 * them; `leading` values come first (e.g. the page's name for a file format). An error with no
 * message of its own says "Something went wrong (code)", never words from elsewhere.
 */
export function errorText(error, leading = []) {
  const code = typeof error?.code === 'string' ? error.code : '';
  const values = [...leading, ...(Array.isArray(error?.values) ? error.values : [])].map(valueText);
  if (error?.cause && typeof error.cause === 'object') values.push(errorText(error.cause));
  for (const candidate of [error?.detail, code]) {
    if (typeof candidate !== 'string' || !candidate) continue;
    const text = chrome.i18n.getMessage(errorKey(candidate), values);
    if (text) return text;
  }
  // An error of the browser's own (no code): its name says which, e.g. "NotAllowedError".
  return t('error_unknown', code || error?.name || String(error));
}

/** Fills `data-i18n*` attributes under `root` from the message catalogue. */
export function localise(root = document) {
  document.documentElement.lang = chrome.i18n.getUILanguage();
  for (const element of root.querySelectorAll('[data-i18n]')) {
    element.textContent = t(element.dataset.i18n);
  }
  for (const [attribute, data] of [
    ['placeholder', 'i18nPlaceholder'],
    ['aria-label', 'i18nAriaLabel'],
    ['title', 'i18nTitle'],
  ]) {
    for (const element of root.querySelectorAll(`[data-${attribute === 'aria-label' ? 'i18n-aria-label' : 'i18n-' + attribute}]`)) {
      element.setAttribute(attribute, t(element.dataset[data]));
    }
  }
}
