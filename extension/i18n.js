// Every user-visible string comes from _locales/<lang>/messages.json through chrome.i18n.
// chrome.i18n has no plurals and no number formatting: `plural()` picks `key_one`,
// `key_other`... with Intl.PluralRules, and numbers go through Intl.NumberFormat, both in the
// language of the catalogue actually shown (its `locale` message), so an English page for a
// Spanish browser says "1 account", and a French one "0 compte" and "1 000 comptes".

/** The message `key`, with `substitutions` filled in; the key itself if missing. */
export function t(key, ...substitutions) {
  const text = chrome.i18n.getMessage(key, substitutions.map(String));
  return text || key;
}

let resolved = null;

/**
 * The language the page speaks: the browser's UI language (e.g. `fr-BE`, `de-CH`) when the
 * catalogue shown is in that language, so numbers and dates follow its region; else the
 * catalogue's own language (`locale` in messages.json, the one chrome.i18n fell back to).
 */
export function language() {
  if (resolved) return resolved;
  const catalogue = chrome.i18n.getMessage('locale') || 'en';
  const ui = chrome.i18n.getUILanguage?.() || catalogue;
  resolved = ui.toLowerCase().split(/[-_]/)[0] === catalogue ? ui : catalogue;
  try {
    Intl.getCanonicalLocales(resolved);
  } catch {
    resolved = catalogue;
  }
  return resolved;
}

/** `n` with the language's digit grouping and decimal sign ("1 000" in fr, "1.000" in de). */
export function number(n, options) {
  return new Intl.NumberFormat(language(), options).format(n);
}

/**
 * The plural form of `key` for the count `n`: `key_<category>` where the category is what
 * Intl.PluralRules says for `n` in the page's language (`one`, `other`, and in languages that
 * need them `few`, `many`...), falling back to `key_other`. `$1` is `n` formatted as a number;
 * `substitutions` fill `$2` on.
 */
export function plural(key, n, ...substitutions) {
  return t(pluralKey(key, n), number(n), ...substitutions);
}

/**
 * Which of `key`'s plural forms fits the count `n` (`key_one`, `key_few`...; `key_other` when
 * the catalogue has no form of its own for that category), for messages whose `$1` is not `n`.
 */
export function pluralKey(key, n) {
  const form = `${key}_${new Intl.PluralRules(language()).select(n)}`;
  return chrome.i18n.getMessage(form) ? form : `${key}_other`;
}

/** "2, 3 and 5" in the page's language, for lists of numbers. */
export function numberList(numbers) {
  return new Intl.ListFormat(language(), { type: 'conjunction' }).format(numbers.map((n) => number(n)));
}

/** A translated core error when the locale has one (`error_<code>`), else the core's message. */
export function errorText(error) {
  const code = typeof error?.code === 'string' ? error.code.replace(/[^a-z0-9]+/gi, '_') : '';
  const translated = code ? chrome.i18n.getMessage(`error_${code}`) : '';
  return translated || error?.message || String(error);
}

const ATTRIBUTES = [
  ['placeholder', 'i18nPlaceholder'],
  ['aria-label', 'i18nAriaLabel'],
  ['title', 'i18nTitle'],
  ['alt', 'i18nAlt'],
];

/**
 * Fills `data-i18n*` attributes under `root` from the message catalogue: `data-i18n` sets the
 * text, `data-i18n-placeholder`, `-aria-label`, `-title` and `-alt` those attributes, and
 * `data-i18n-plural="minutes" data-i18n-count="5"` the text `plural('minutes', 5)`.
 */
export function localise(root = document) {
  document.documentElement.lang = language();
  for (const element of root.querySelectorAll('[data-i18n]')) {
    element.textContent = t(element.dataset.i18n);
  }
  for (const element of root.querySelectorAll('[data-i18n-plural]')) {
    element.textContent = plural(element.dataset.i18nPlural, Number(element.dataset.i18nCount));
  }
  for (const [attribute, data] of ATTRIBUTES) {
    for (const element of root.querySelectorAll(`[data-i18n-${attribute}]`)) {
      element.setAttribute(attribute, t(element.dataset[data]));
    }
  }
}
