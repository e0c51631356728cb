// The language check of `cargo xtask test` (issue 18), on the repository's own files: no
// browser. See locales-check.mjs for the rules; the last tests plant one mistake of each kind
// and require the check to name it, so a check that silently stopped checking fails too.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import {
  PREFIXES, checkCatalogues, checkHtml, checkUsage, coreVocabulary, filesUnder, readCatalogues,
  readSources, reachableCategories,
} from './locales-check.mjs';
import { ROOT } from './harness.mjs';

const LOCALES = join(ROOT, 'extension', '_locales');
const catalogues = readCatalogues(LOCALES);
const en = catalogues.en;
const sources = {
  ...readSources(ROOT, ['extension']),
  'manifest.json': readFileSync(join(ROOT, 'manifest.json'), 'utf8'),
  'xtask/src/firefox.rs': readFileSync(join(ROOT, 'xtask', 'src', 'firefox.rs'), 'utf8'),
};
const vocabulary = coreVocabulary(filesUnder(join(ROOT, 'src'), ['.rs']).map((f) => readFileSync(f, 'utf8')));
const htmlFiles = Object.keys(sources).filter((p) => p.endsWith('.html'));

const report = (problems) => (problems.length ? `\n  ${problems.join('\n  ')}` : '');

describe('language catalogues', () => {
  test('en, fr, nl and de are all there, en is the default, the manifest takes its words from them', () => {
    for (const lang of ['en', 'fr', 'nl', 'de']) assert.ok(catalogues[lang], `extension/_locales/${lang}/messages.json is missing`);
    const manifest = JSON.parse(sources['manifest.json']);
    assert.equal(manifest.default_locale, 'en');
    assert.equal(manifest.name, '__MSG_extName__');
    assert.equal(manifest.description, '__MSG_extDescription__');
  });

  test('every key in every locale, no extra key, plural forms each language needs, placeholders used', () => {
    const problems = checkCatalogues(catalogues);
    assert.deepEqual(problems, [], `catalogue problems:${report(problems)}`);
    console.log(`locales: ${Object.keys(catalogues).join(', ')}, ${Object.keys(en).length} en keys; plural forms: ${
      Object.keys(catalogues).map((l) => `${l} ${[...reachableCategories(l)].join('/')}`).join(', ')}`);
  });

  test('no key unused; keys built from a prefix (error_, skip_, refused_...) name what the core returns', () => {
    assert.ok(vocabulary.size > 50, `read too little of src/ (${vocabulary.size} strings): is ${join(ROOT, 'src')} there?`);
    const problems = checkUsage(en, sources, vocabulary);
    assert.deepEqual(problems, [], `usage problems:${report(problems)}`);
    console.log(`locales: prefixes checked against src/: ${PREFIXES.map((p) => `${p.prefix} (${Object.keys(en).filter((k) => k.startsWith(p.prefix)).length})`).join(', ')}`);
  });

  test('no HTML file shows text that is not from a message', () => {
    assert.ok(htmlFiles.length >= 2, `found only ${htmlFiles.join(', ')}`);
    const problems = htmlFiles.flatMap((p) => checkHtml(p, sources[p]));
    assert.deepEqual(problems, [], `untranslatable text:${report(problems)}`);
    console.log(`locales: ${htmlFiles.length} HTML files without visible text of their own: ${htmlFiles.join(', ')}`);
  });

  test('no translation is left in English (a message of 3 words or more copied unchanged)', () => {
    // Names stay as they are: the product, other apps' formats, OTP kinds.
    const names = (key) => key === 'extName' || key.startsWith('format_') || key.startsWith('kind_');
    const problems = [];
    for (const [lang, catalogue] of Object.entries(catalogues)) {
      if (lang === 'en') continue;
      for (const [key, { message }] of Object.entries(en)) {
        const words = message.replace(/\$[A-Z_]+\$/g, '').match(/\p{L}{3,}/gu) ?? [];
        if (!names(key) && words.length >= 3 && catalogue[key]?.message === message) problems.push(`${lang}: ${key} is still English`);
      }
    }
    assert.deepEqual(problems, [], report(problems));
  });
});

describe('the language check catches planted mistakes', () => {
  const clone = () => JSON.parse(JSON.stringify(catalogues));

  test('a key missing from fr, an extra key in de, a plural form nl does not use', () => {
    const planted = clone();
    delete planted.fr.copied;
    planted.de.leftOver = { message: 'Übrig' };
    planted.nl.importAccounts_few = { ...planted.nl.importAccounts_other };
    const problems = checkCatalogues(planted);
    assert.ok(problems.includes('fr: missing key copied'), report(problems));
    assert.ok(problems.includes('de: extra key leftOver (not in en)'), report(problems));
    assert.ok(problems.some((p) => p.startsWith('nl: importAccounts_few is a plural form')), report(problems));
  });

  test('a placeholder dropped from a translation, or one en does not define', () => {
    const planted = clone();
    planted.fr.copyCodeFor.message = 'Copier le code de $LABEL$';
    planted.de.accountAdded.message = 'Konto $NAME$ hinzugefügt: $LABEL$';
    const problems = checkCatalogues(planted);
    assert.ok(problems.includes('fr: copyCodeFor does not use the placeholder $CODE$'), report(problems));
    assert.ok(problems.includes('de: accountAdded uses $NAME$, which en does not define'), report(problems));
  });

  test('an unused key, an error_ key the core never returns, a key the code asks for that is missing', () => {
    const planted = { ...en, forgotten: { message: 'Nobody shows this' }, error_vault_made_up: { message: 'x' } };
    const code = { ...sources, 'extension/planted.js': "t('notInEn');" };
    const problems = checkUsage(planted, code, vocabulary);
    assert.ok(problems.includes('en: unused key forgotten (no JS, HTML or manifest names it)'), report(problems));
    assert.ok(problems.some((p) => p.startsWith('en: error_vault_made_up names no code')), report(problems));
    assert.ok(problems.includes('en: the code or a page asks for notInEn, which en does not have'), report(problems));
  });

  test('English text, a literal aria-label or placeholder in HTML; translate="no" and symbols allowed', () => {
    const html = `<!doctype html><html><head><title>Toolbar</title></head><body>
      <button data-i18n="save">Save</button>
      <button aria-label="Close">×</button>
      <input placeholder="Search here">
      <select translate="no"><option>SHA1</option></select>
      <p>12 345</p></body></html>`;
    const problems = checkHtml('planted.html', html);
    assert.deepEqual(problems, [
      'planted.html:1: text "Toolbar" is not from a message (use data-i18n)',
      'planted.html:2: text "Save" is not from a message (use data-i18n)',
      'planted.html:3: aria-label="Close" is not from a message (use data-i18n-aria-label)',
      'planted.html:4: placeholder="Search here" is not from a message (use data-i18n-placeholder)',
    ]);
  });
});
