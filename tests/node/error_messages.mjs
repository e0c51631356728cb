// Checks the words for every error code (run by tests/error_codes.rs, which lists the codes).
// Usage: node tests/node/error_messages.mjs codes.json extension/_locales
//
// codes.json maps each code (or detail code) the WebAssembly modules and the pages can report
// to the most values its message receives. For every locale:
// - every code has its message `error_<code>` (`.` and `-` as `_`);
// - no `error_*` message is there that no code asks for (except `error_unknown`, the words
//   for a code without a message);
// - no message refers to a value (`$1`, or a placeholder whose content is `$n`) beyond those
//   it receives, and every placeholder it declares is used;
// - the other locales hold the same error messages as `en`, with the same placeholders.

import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { join } from 'node:path';

const [codesFile, localesDir] = process.argv.slice(2);
if (!codesFile || !localesDir) {
  console.error('usage: node error_messages.mjs codes.json extension/_locales');
  process.exit(2);
}
if (!existsSync(join(localesDir, 'en', 'messages.json'))) {
  console.error(`missing ${join(localesDir, 'en', 'messages.json')}`);
  process.exit(1);
}
const codes = JSON.parse(readFileSync(codesFile, 'utf8'));
const keyOf = (code) => `error_${code.replace(/[^a-z0-9]+/gi, '_')}`;
const GENERIC = 'error_unknown';
const wanted = new Map(Object.entries(codes).map(([code, count]) => [keyOf(code), { code, count }]));
wanted.set(GENERIC, { code: '(no message)', count: 1 });

const problems = [];
const locales = readdirSync(localesDir).filter((name) => existsSync(join(localesDir, name, 'messages.json'))).sort();
const catalogue = (locale) => JSON.parse(readFileSync(join(localesDir, locale, 'messages.json'), 'utf8'));
const errorKeys = (messages) => Object.keys(messages).filter((key) => key.startsWith('error_'));
const placeholderShape = (entry) => JSON.stringify(
  Object.entries(entry.placeholders ?? {}).map(([name, p]) => [name.toLowerCase(), p.content]).sort(),
);

const en = catalogue('en');
for (const locale of locales) {
  const messages = catalogue(locale);
  for (const [key, { code, count }] of wanted) {
    const entry = messages[key];
    if (!entry) {
      problems.push(`${locale}: no message ${key} for the code ${code}`);
      continue;
    }
    const text = entry.message ?? '';
    const placeholders = Object.entries(entry.placeholders ?? {});
    for (const [name, { content }] of placeholders) {
      const n = /^\$(\d+)$/.exec(content ?? '');
      if (n && Number(n[1]) > count) problems.push(`${locale}: ${key} placeholder ${name} is ${content}, but ${code} passes ${count} value(s)`);
      if (!text.toUpperCase().includes(`$${name.toUpperCase()}$`)) problems.push(`${locale}: ${key} declares ${name} but does not use it`);
    }
    for (const [, n] of text.matchAll(/\$(\d+)(?!\$)/g)) {
      if (Number(n) > count) problems.push(`${locale}: ${key} uses $${n}, but ${code} passes ${count} value(s)`);
    }
    for (const [, name] of text.matchAll(/\$([A-Za-z_][A-Za-z0-9_]*)\$/g)) {
      if (!placeholders.some(([declared]) => declared.toLowerCase() === name.toLowerCase())) problems.push(`${locale}: ${key} uses $${name}$ without declaring it`);
    }
    if (locale !== 'en' && en[key] && placeholderShape(entry) !== placeholderShape(en[key])) {
      problems.push(`${locale}: ${key} has other placeholders than en`);
    }
  }
  for (const key of errorKeys(messages)) {
    if (!wanted.has(key)) problems.push(`${locale}: ${key} is not the message of any code`);
  }
}

if (problems.length) {
  console.error(`error messages: ${problems.length} problem(s):\n  ${problems.join('\n  ')}`);
  process.exit(1);
}
console.log(`error messages: ${wanted.size - 1} codes, each with its message in ${locales.length} locale(s): ${locales.join(', ')}`);
