// What the popup loads at open, from the requests it actually made (Playwright's request
// events: Chromium keeps no Resource Timing entries for chrome-extension:// URLs), checked
// against the popup's own static import graph read from dist/.

import { readFileSync } from 'node:fs';
import { join, normalize, posix } from 'node:path';
import { fileSize } from './sizes.mjs';

/** `<script type="module" src>` and `<link rel="stylesheet" href>` of an HTML file. */
function htmlRefs(html) {
  const attr = (tag, name) => new RegExp(`\\b${name}\\s*=\\s*["']([^"']+)["']`).exec(tag)?.[1];
  const scripts = [...html.matchAll(/<script\b[^>]*>/g)].map((m) => m[0])
    .filter((tag) => /\btype\s*=\s*["']module["']/.test(tag)).map((tag) => attr(tag, 'src')).filter(Boolean);
  const styles = [...html.matchAll(/<link\b[^>]*>/g)].map((m) => m[0])
    .filter((tag) => /\brel\s*=\s*["']stylesheet["']/.test(tag)).map((tag) => attr(tag, 'href')).filter(Boolean);
  return { scripts, styles };
}

/**
 * The static imports of an ES module (`import … from 'x'`, `import 'x'`, `export … from 'x'`)
 * and the `.wasm` files it fetches with `new URL('x.wasm', import.meta.url)` (wasm-bindgen's
 * glue). Dynamic `import()` is left out on purpose: what it loads is not part of the popup's
 * open. A regex, not a parser: good enough for our own modules and wasm-bindgen's output.
 */
export function moduleRefs(source) {
  const imports = [
    ...source.matchAll(/(?:^|[;}\n])\s*(?:import|export)\s[^'";]*?\bfrom\s*(["'])([^"']+)\1/g),
    ...source.matchAll(/(?:^|[;}\n])\s*import\s*(["'])([^"']+)\1/g),
  ].map((m) => m[2]);
  const wasm = [...source.matchAll(/new URL\(\s*(["'])([^"']+\.wasm)\1\s*,\s*import\.meta\.url/g)].map((m) => m[2]);
  return { imports, wasm };
}

/** `to` relative to the dist/-relative file `from`, as a dist/-relative posix path. */
const resolveFrom = (from, to) => posix.normalize(posix.join(posix.dirname(from), to));

/**
 * The popup's own graph, as dist/-relative paths: its HTML, stylesheets, every module reachable
 * by static imports from its module scripts, and the wasm those modules fetch.
 */
export function importGraph(dist, html = 'popup.html') {
  const { scripts, styles } = htmlRefs(readFileSync(join(dist, html), 'utf8'));
  const modules = new Set();
  const wasm = new Set();
  const queue = scripts.map((s) => resolveFrom(html, s));
  while (queue.length > 0) {
    const file = queue.shift();
    if (modules.has(file)) continue;
    modules.add(file);
    const refs = moduleRefs(readFileSync(join(dist, file), 'utf8'));
    for (const to of refs.imports) queue.push(resolveFrom(file, to));
    for (const to of refs.wasm) wasm.add(resolveFrom(file, to));
  }
  return { html, styles: styles.map((s) => resolveFrom(html, s)), modules, wasm };
}

/** A request's path inside dist/, or null for anything outside the extension. */
function distPath(url, extensionId) {
  const u = new URL(url);
  return u.protocol === 'chrome-extension:' && u.host === extensionId ? decodeURIComponent(u.pathname.slice(1)) : null;
}

const isModule = (path) => /\.(m?js|wasm)$/.test(path);

/**
 * From every popup open's requests: the files loaded (with raw and gzip -9 bytes, and whether a
 * request for it came before codes were visible), their total, and the modules requested before
 * codes were visible that are not the popup's own (outside its import graph, or a second wasm).
 */
export function popupLoad(dist, extensionId, opens) {
  const graph = importGraph(dist);
  const files = new Map();
  const outside = new Set();
  const foreign = new Set();
  for (const open of opens) {
    const early = [];
    for (const request of open.requests) {
      const path = distPath(request.url, extensionId);
      if (path === null) {
        outside.add(request.url);
        continue;
      }
      const before = request.atMs < open.codesVisibleMs;
      const entry = files.get(path) ?? { path, beforeCodes: false };
      entry.beforeCodes ||= before;
      files.set(path, entry);
      if (before) early.push(path);
    }
    const wasm = early.filter((p) => p.endsWith('.wasm'));
    for (const path of early.filter(isModule)) {
      if (!(graph.modules.has(path) || graph.wasm.has(path))) foreign.add(path);
    }
    if (new Set(wasm).size > 1) for (const path of wasm) foreign.add(`${path} (one of ${new Set(wasm).size} wasm modules)`);
  }
  const loaded = [...files.values()]
    .sort((a, b) => a.path.localeCompare(b.path))
    .map((f) => ({ ...f, ...fileSize(normalize(join(dist, f.path))) }));
  const total = loaded.reduce((sum, f) => ({ raw: sum.raw + f.raw, gzip: sum.gzip + f.gzip }), { raw: 0, gzip: 0 });
  return {
    files: loaded,
    total,
    foreignModules: [...foreign].sort(),
    outsideRequests: [...outside].sort(),
    graph: { modules: [...graph.modules].sort(), wasm: [...graph.wasm].sort(), styles: graph.styles },
  };
}

