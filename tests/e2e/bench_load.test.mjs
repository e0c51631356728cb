// The bench's own judgement, checked against the real popup in real Chromium: what the popup
// loads at open is read from its requests, and a module outside its static import graph that
// is requested before codes are visible is caught. Plus the pure helpers the budgets rely on.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { blankShell } from '../../bench/lib/browser.mjs';
import { importGraph, moduleRefs, popupLoad } from '../../bench/lib/loads.mjs';
import { openPopupTimed } from '../../bench/lib/popup.mjs';
import { interleaveFastest, ratioOf, rotated } from '../../bench/lib/rounds.mjs';
import { DIST, closeAll, launch, patchedDist } from './harness.mjs';

after(closeAll);

/** Opens the popup of `dist` once (no accounts) and judges its requests. */
async function loadOf(dist) {
  const browser = await launch({ dist });
  try {
    const { page, ms, requests } = await openPopupTimed(browser, 0);
    await page.close();
    return popupLoad(dist, browser.extensionId, [{ accounts: 0, codesVisibleMs: ms, requests }]);
  } finally {
    await browser.close();
    await browser.cleanup();
  }
}

describe('bench: what the popup loads', () => {
  test('the shipped popup requests its own graph only, and the sizes add up', async () => {
    const load = await loadOf(DIST);
    const graph = importGraph(DIST);
    const requested = load.files.map((f) => f.path).sort();
    const expected = ['popup.html', ...graph.styles, ...graph.modules, ...graph.wasm].sort();
    assert.deepEqual(requested, expected);
    assert.deepEqual(load.foreignModules, []);
    assert.ok(load.files.every((f) => f.beforeCodes), 'everything loads before codes are visible');
    assert.equal(load.total.gzip, load.files.reduce((sum, f) => sum + f.gzip, 0));
    assert.ok(load.total.gzip > 0 && load.total.gzip < load.total.raw);
  });

  test('a module imported dynamically before codes are visible is caught', async () => {
    const dist = await patchedDist(() => {});
    try {
      await writeFile(join(dist, 'late.js'), 'export const late = 1;\n');
      const popup = await readFile(join(dist, 'popup.js'), 'utf8');
      await writeFile(join(dist, 'popup.js'), `await import('./late.js');\n${popup}`);
      const load = await loadOf(dist);
      assert.deepEqual(load.foreignModules, ['late.js']);
      assert.ok(load.files.some((f) => f.path === 'late.js' && f.beforeCodes));
    } finally {
      await rm(dist, { recursive: true, force: true });
    }
  });
});

describe('what the pages preload', () => {
  test('popup.html and transfer.html ask for every module of their static graph at once', async () => {
    for (const page of ['popup.html', 'transfer.html']) {
      const html = readFileSync(join(DIST, page), 'utf8');
      const preloaded = new Set([...html.matchAll(/<link rel="modulepreload" href="([^"]+)">/g)].map((m) => m[1]));
      const { modules } = importGraph(DIST, page);
      const entries = [...html.matchAll(/<script type="module" src="([^"]+)">/g)].map((m) => m[1]);
      const expected = [...modules].filter((m) => !entries.includes(m)).sort();
      assert.ok(expected.length > 3, `${page} imports modules`);
      assert.deepEqual([...preloaded].sort(), expected, page);
    }
  });
});

describe('bench: helpers', () => {
  test('rounds rotate, and ratios are taken within a round', () => {
    assert.deepEqual([0, 1, 2, 3].map((r) => rotated(['a', 'b', 'c'], r).join('')), ['abc', 'bca', 'cab', 'abc']);
    const rounds = [{ a: 1, b: 10 }, { a: 30, b: 100 }, { a: 2, b: 10 }];
    assert.deepEqual(ratioOf(rounds, 'a', 'b'), { median: 0.2, min: 0.1, max: 0.3 });
  });

  test('with several passes a round, each page counts its fastest open and every pass rotates', async () => {
    // Scripted figures: each page's opens in order, the warm-up first.
    const figures = { a: [9, 5, 7, 3, 8, 8, 6], b: [9, 4, 4, 9, 2, 6, 7] };
    const order = [];
    const rounds = await interleaveFastest(['a', 'b'], 2, 3, async (name) => {
      order.push(name);
      return figures[name].shift();
    });
    assert.equal(order.join(''), 'ab' + 'ab' + 'ba' + 'ab' + 'ba' + 'ab' + 'ba');
    assert.deepEqual(rounds, [{ a: 3, b: 4 }, { a: 6, b: 2 }]);
  });

  test('static imports and the glue\'s wasm are found; dynamic import() is not', () => {
    const refs = moduleRefs([
      "import init, { a } from './pkg/glue.js';",
      'import * as x from "./snippets/s.js"',
      "import './side.js';",
      'export { b } from \'./re.js\';',
      'import {\n  c,\n  d,\n} from \'./multi.js\';',
      "const later = () => import('./dynamic.js');",
      "new URL('glue_bg.wasm', import.meta.url);",
    ].join('\n'));
    assert.deepEqual(refs.imports.sort(), ['./multi.js', './pkg/glue.js', './re.js', './side.js', './snippets/s.js']);
    assert.deepEqual(refs.wasm, ['glue_bg.wasm']);
  });

  test('the blank page keeps the popup\'s shell and drops every script and preload hint', async () => {
    const popup = await readFile(join(DIST, 'popup.html'), 'utf8');
    assert.match(popup, /<link rel="preload" href="pkg\/toolbar_authenticator_bg.wasm"/, 'the popup preloads its module');
    const blank = blankShell(popup);
    assert.doesNotMatch(blank, /<script/i);
    assert.doesNotMatch(blank, /preload/i);
    assert.match(blank, /<link rel="stylesheet" href="popup.css">/);
    const withoutScripts = (html) => html
      .replace(/<script\b[^>]*><\/script>\s*/g, '')
      .split('\n').filter((line) => !/^<link rel="(module)?preload"/.test(line)).join('\n');
    assert.equal(blank, withoutScripts(popup));
    assert.notEqual(blank, popup);
  });
});
