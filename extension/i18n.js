// Words from _locales/<lang>/messages.json (chrome.i18n); plural forms and numbers with Intl,
// in the language of the catalogue shown (README: Languages).

/** The message `key`, with `substitutions` filled in; the key itself if missing. */
export function t(key, ...substitutions) {
  return chrome.i18n.getMessage(key, substitutions.map(String)) || key;
}

let resolved;

/** The UI language (`de-CH`) if the catalogue shown is in it, else the catalogue's (`locale`). */
export function language() {
  if (!resolved) {
    const own = chrome.i18n.getMessage('locale') || 'en';
    const ui = chrome.i18n.getUILanguage();
    resolved = ui.toLowerCase().split(/[-_]/)[0] === own ? ui : own;
  }
  return resolved;
}

/** Intl formatters are slow to build (every popup row needs a number and a plural form): one
 * per options is kept for the page's life (its language never changes). */
const numberFormats = new Map();
let pluralRules;

/** `n` grouped as the language writes it ("1 000", "1.000"). */
export function number(n, options) {
  const key = options ? JSON.stringify(options) : '';
  let format = numberFormats.get(key);
  if (!format) {
    format = new Intl.NumberFormat(language(), options);
    numberFormats.set(key, format);
  }
  return format.format(n);
}

/** The form of `key` for the count `n` (`$1`, formatted), then `substitutions` as `$2`... */
export function plural(key, n, ...substitutions) {
  return t(pluralKey(key, n), number(n), ...substitutions);
}

/** `key_one`, `key_few`... as Intl.PluralRules picks for `n`; `key_other` if there is no such key. */
export function pluralKey(key, n) {
  pluralRules ??= new Intl.PluralRules(language());
  const form = `${key}_${pluralRules.select(n)}`;
  return chrome.i18n.getMessage(form) ? form : `${key}_other`;
}

/** "2, 3 and 5" in the language. */
export function numberList(numbers) {
  return new Intl.ListFormat(language()).format(numbers.map((n) => number(n)));
}

/** The message key of an error code: `error_` and the code with `.` and `-` as `_`. */
const errorKey = (code) => `error_${code.replace(/[^a-z0-9]+/gi, '_')}`;

/** A message value in the reader's language: numbers grouped as the language writes them. */
function valueText(value) {
  return typeof value === 'number' ? number(value) : String(value);
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

/**
 * Fills `root` from `data-i18n` (text), `data-i18n-<attribute>` (placeholder, aria-label,
 * title, alt) and `data-i18n-plural` with `data-i18n-count`.
 */
export function localise(root = document) {
  document.documentElement.lang = language();
  for (const element of root.querySelectorAll('[data-i18n]')) element.textContent = t(element.dataset.i18n);
  for (const element of root.querySelectorAll('[data-i18n-plural]')) {
    element.textContent = plural(element.dataset.i18nPlural, Number(element.dataset.i18nCount));
  }
  for (const attribute of ['placeholder', 'aria-label', 'title', 'alt']) {
    for (const element of root.querySelectorAll(`[data-i18n-${attribute}]`)) {
      element.setAttribute(attribute, t(element.getAttribute(`data-i18n-${attribute}`)));
    }
  }
}
