// Every user-visible string comes from _locales/<lang>/messages.json through chrome.i18n.

/** The message `key`, with `substitutions` filled in; the key itself if missing. */
export function t(key, ...substitutions) {
  const text = chrome.i18n.getMessage(key, substitutions.map(String));
  return text || key;
}

/** A translated core error when the locale has one (`error_<code>`), else the core's message. */
export function errorText(error) {
  const code = typeof error?.code === 'string' ? error.code.replace(/[^a-z0-9]+/gi, '_') : '';
  const translated = code ? chrome.i18n.getMessage(`error_${code}`) : '';
  return translated || error?.message || String(error);
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
