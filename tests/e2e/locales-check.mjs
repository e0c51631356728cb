// The language check (issue 18): every catalogue in extension/_locales/ has exactly en's keys,
// with the plural forms its language needs; every placeholder is used; no key is unused; keys
// built from a prefix (`error_<code>`...) name something the Rust core really returns; and no
// HTML file shows text that does not come from a message. Each function returns a list of
// problems (strings) so locales.test.mjs can also prove it catches planted mistakes.

import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parse } from 'parse5';

/** Plural categories (CLDR, as Intl.PluralRules names them). */
const CATEGORIES = ['zero', 'one', 'two', 'few', 'many', 'other'];
const PLURAL_FORM = new RegExp(`^(.+)_(${CATEGORIES.join('|')})$`);
/** Counts the extension shows are whole numbers up to this (10,000 accounts at most). */
const LARGEST_COUNT = 100_000;

/**
 * Keys built at run time from a prefix and a value, not written whole in the code: the prefix,
 * the code that builds it (must still be in the extension's JS), and which values of the core
 * may follow it (`dotted`: an error or skip code `module.name`; else any identifier the core
 * writes, e.g. a format id or a password hint).
 */
export const PREFIXES = [
  { prefix: 'error_', builtBy: /error_\$\{|messageKey\('error'/, dotted: true },
  { prefix: 'skip_', builtBy: /messageKey\('skip'/, dotted: true },
  { prefix: 'format_', builtBy: /messageKey\('format'/, dotted: false },
  { prefix: 'kind_', builtBy: /messageKey\('kind'/, dotted: false },
  { prefix: 'passwordHint_', builtBy: /passwordHint_\$\{/, dotted: false },
  { prefix: 'refused_', builtBy: /refused_\$\{/, dotted: true },
];

/** Attributes whose text a person sees or hears. */
const VISIBLE_ATTRIBUTES = [
  'placeholder', 'aria-label', 'title', 'alt', 'label', 'aria-description',
  'aria-roledescription', 'aria-valuetext', 'aria-placeholder',
];
const HAS_LETTER = /\p{L}/u;

/** How `messageKey()` in the extension turns a core value into a key suffix. */
export const keySuffix = (value) => value.replace(/[^a-z0-9]+/gi, '_');

/** The plural categories a language uses for whole counts 0 to LARGEST_COUNT. */
const reachable = new Map();
export function reachableCategories(lang) {
  if (!reachable.has(lang)) reachable.set(lang, countCategories(lang));
  return reachable.get(lang);
}

function countCategories(lang) {
  const rules = new Intl.PluralRules(lang);
  const seen = new Set();
  for (let n = 0; n <= LARGEST_COUNT; n += 1) seen.add(rules.select(n));
  return seen;
}

/** Reads every `_locales/<lang>/messages.json` under `dir`: `{lang: {key: {message, ...}}}`. */
export function readCatalogues(dir) {
  const catalogues = {};
  for (const lang of readdirSync(dir).sort()) {
    catalogues[lang] = JSON.parse(readFileSync(join(dir, lang, 'messages.json'), 'utf8'));
  }
  return catalogues;
}

/** The `$NAME$` placeholders a message uses, lower-cased as Chrome matches them. */
function used(message) {
  return new Set([...message.matchAll(/\$([A-Za-z0-9_@]+)\$/g)].map((m) => m[1].toLowerCase()));
}

/** Plural bases of en: `foo` when en has `foo_other`. */
function pluralBases(en) {
  return new Set(Object.keys(en).map((k) => k.match(PLURAL_FORM)).filter((m) => m && m[2] === 'other')
    .map((m) => m[1]));
}

/**
 * Keys, plural forms and placeholders: every locale has en's keys (plural forms: exactly the
 * categories its language reaches), no others, its `locale` message names its folder, and its
 * placeholders are en's, each used in the message.
 */
export function checkCatalogues(catalogues) {
  const problems = [];
  const en = catalogues.en;
  if (!en) return ['no en catalogue'];
  const bases = pluralBases(en);
  const plain = Object.keys(en).filter((k) => {
    const m = k.match(PLURAL_FORM);
    return !(m && bases.has(m[1]));
  });
  for (const [lang, catalogue] of Object.entries(catalogues)) {
    const tag = lang.replace('_', '-');
    if (catalogue.locale?.message !== tag) {
      problems.push(`${lang}: the message "locale" must be "${tag}" (plural rules follow it), not ${JSON.stringify(catalogue.locale?.message)}`);
    }
    const categories = reachableCategories(tag);
    const expected = new Set(plain);
    for (const base of bases) for (const c of categories) expected.add(`${base}_${c}`);
    for (const key of expected) {
      if (!(key in catalogue)) problems.push(`${lang}: missing key ${key}`);
    }
    for (const key of Object.keys(catalogue)) {
      if (!expected.has(key)) {
        const m = key.match(PLURAL_FORM);
        problems.push(m && bases.has(m[1])
          ? `${lang}: ${key} is a plural form ${lang} never uses (it uses ${[...categories].join(', ')})`
          : `${lang}: extra key ${key} (not in en)`);
      }
    }
    for (const [key, entry] of Object.entries(catalogue)) {
      const m = key.match(PLURAL_FORM);
      const reference = en[key] ?? (m && bases.has(m[1]) ? en[`${m[1]}_other`] : null);
      if (!reference) continue;
      if (typeof entry.message !== 'string' || entry.message.trim() === '') {
        problems.push(`${lang}: ${key} has no message`);
        continue;
      }
      const defined = Object.keys(reference.placeholders ?? {}).map((p) => p.toLowerCase()).sort();
      const own = Object.entries(entry.placeholders ?? {}).map(([p, v]) => `${p.toLowerCase()}=${v.content}`).sort();
      const wanted = Object.entries(reference.placeholders ?? {}).map(([p, v]) => `${p.toLowerCase()}=${v.content}`).sort();
      if (own.join() !== wanted.join()) {
        problems.push(`${lang}: ${key} placeholders ${own.join(', ') || 'none'} differ from en's ${wanted.join(', ') || 'none'}`);
      }
      const inMessage = used(entry.message);
      for (const p of defined) {
        if (!inMessage.has(p)) problems.push(`${lang}: ${key} does not use the placeholder $${p.toUpperCase()}$`);
      }
      for (const p of inMessage) {
        if (!defined.includes(p)) problems.push(`${lang}: ${key} uses $${p.toUpperCase()}$, which en does not define`);
      }
    }
  }
  return problems;
}

/** Every file under `dir` whose name ends with one of `extensions`. */
export function filesUnder(dir, extensions) {
  const out = [];
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) {
      if (name !== '_locales' && name !== 'pkg' && name !== 'node_modules') out.push(...filesUnder(path, extensions));
    } else if (extensions.some((e) => name.endsWith(e))) {
      out.push(path);
    }
  }
  return out;
}

/**
 * What the Rust core can return as identifiers: its string literals, and the kebab-case names
 * of enums serialised with `rename_all = "kebab-case"` (e.g. the password hints).
 */
export function coreVocabulary(rustSources) {
  const words = new Set();
  for (const text of rustSources) {
    for (const m of text.matchAll(/"([A-Za-z0-9][A-Za-z0-9.+-]*)"/g)) words.add(m[1]);
    for (const m of text.matchAll(/rename_all\s*=\s*"kebab-case"\s*\)\]\s*(?:#\[[^\]]*\]\s*)*pub enum \w+\s*\{([^}]*)\}/g)) {
      for (const v of m[1].matchAll(/^\s*([A-Z][A-Za-z0-9]*)\s*[,({]/gm)) {
        words.add(v[1].replace(/([a-z0-9])([A-Z])/g, '$1-$2').toLowerCase());
      }
    }
  }
  return words;
}

/**
 * Unused and unknown keys. `sources`: `{path: text}` of the extension's JS, HTML and manifest.
 * A key is used when its name appears quoted in the JS, in a `data-i18n*` attribute, as
 * `__MSG_key__` (in the manifest, or the Firefox manifest xtask writes), or, for plural forms, when its base does; a prefixed key when its prefix is
 * still built in the JS and its suffix is a value of `vocabulary` (the core's).
 */
export function checkUsage(en, sources, vocabulary) {
  const problems = [];
  const js = Object.entries(sources).filter(([p]) => p.endsWith('.js')).map(([, t]) => t).join('\n');
  const html = Object.entries(sources).filter(([p]) => p.endsWith('.html')).map(([, t]) => t).join('\n');
  const manifest = Object.entries(sources).filter(([p]) => !/\.(js|html)$/.test(p)).map(([, t]) => t).join('\n');
  const quoted = new Set([...js.matchAll(/['"`]([A-Za-z0-9_@]+)['"`]/g)].map((m) => m[1]));
  const attributes = new Set([...html.matchAll(/data-i18n(?:-(?!count)[a-z-]+)?="([^"]*)"/g)].map((m) => m[1]));
  const manifestKeys = new Set([...manifest.matchAll(/__MSG_([A-Za-z0-9_@]+)__/g)].map((m) => m[1]));
  const bases = pluralBases(en);
  const named = (key) => quoted.has(key) || attributes.has(key) || manifestKeys.has(key);
  for (const key of Object.keys(en)) {
    const m = key.match(PLURAL_FORM);
    if (m && bases.has(m[1]) && named(m[1])) continue;
    if (named(key)) continue;
    const rule = PREFIXES.find((r) => key.startsWith(r.prefix));
    if (rule) {
      if (!rule.builtBy.test(js)) {
        problems.push(`en: ${key}: no JS builds ${rule.prefix}<…> keys any more (${rule.builtBy})`);
        continue;
      }
      const suffix = key.slice(rule.prefix.length);
      const matches = [...vocabulary].some((v) => (!rule.dotted || v.includes('.')) && keySuffix(v) === suffix);
      if (!matches) {
        problems.push(`en: ${key} names no ${rule.dotted ? 'code' : 'value'} of the Rust core (src/ has no "${suffix.replace(/_/g, '.')}"-like string)`);
      }
      continue;
    }
    problems.push(`en: unused key ${key} (no JS, HTML or manifest names it)`);
  }
  // Keys the code asks for must exist, or the page would show the key itself.
  const asked = new Set();
  for (const m of js.matchAll(/\b(?:t|plural|pluralKey|getMessage)\(\s*'([A-Za-z0-9_@]+)'/g)) asked.add(m[1]);
  for (const m of js.matchAll(/\bt\(\s*[^'()]*\?\s*'([A-Za-z0-9_]+)'\s*:\s*'([A-Za-z0-9_]+)'/g)) asked.add(m[1]).add(m[2]);
  for (const key of [...asked, ...attributes, ...manifestKeys]) {
    if (key.startsWith('@@') || key in en || bases.has(key)) continue;
    problems.push(`en: the code or a page asks for ${key}, which en does not have`);
  }
  return problems;
}

/** Whether `node` or an ancestor says `translate="no"` (names such as SHA1). */
function untranslated(node) {
  for (let n = node; n; n = n.parentNode) {
    if (n.attrs?.some((a) => a.name === 'translate' && a.value === 'no')) return true;
  }
  return false;
}

/**
 * Visible text in an HTML file that no message fills: text nodes and visible attributes
 * (`placeholder`, `aria-label`, `title`, `alt`...; `value` of buttons) containing a letter,
 * outside `translate="no"`. Digits and symbols (×) are allowed; the words come from
 * `data-i18n*` at run time.
 */
export function checkHtml(path, text) {
  const problems = [];
  const document = parse(text, { sourceCodeLocationInfo: true });
  const where = (node) => `${path}:${node.sourceCodeLocation?.startLine ?? '?'}`;
  const walk = (node) => {
    if (node.nodeName === 'script' || node.nodeName === 'style') return;
    if (node.nodeName === '#text') {
      if (HAS_LETTER.test(node.value) && !untranslated(node.parentNode)) {
        problems.push(`${where(node)}: text ${JSON.stringify(node.value.trim())} is not from a message (use data-i18n)`);
      }
    }
    for (const attr of node.attrs ?? []) {
      const visible = VISIBLE_ATTRIBUTES.includes(attr.name)
        || (attr.name === 'value' && node.nodeName === 'input'
          && ['button', 'submit', 'reset'].includes(node.attrs.find((a) => a.name === 'type')?.value));
      if (visible && HAS_LETTER.test(attr.value) && !untranslated(node)) {
        problems.push(`${where(node)}: ${attr.name}=${JSON.stringify(attr.value)} is not from a message (use data-i18n-${attr.name})`);
      }
    }
    for (const child of node.childNodes ?? []) walk(child);
    if (node.content) walk(node.content);
  };
  walk(document);
  return problems;
}

/** Reads the extension's sources as `{relative path: text}`. */
export function readSources(root, dirs) {
  const sources = {};
  for (const dir of dirs) {
    for (const file of filesUnder(join(root, dir), ['.js', '.html'])) {
      sources[relative(root, file)] = readFileSync(file, 'utf8');
    }
  }
  return sources;
}
