// Part 3: raw and gzip -9 bytes of what the extension ships.

import { execFileSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** JS snippets wasm-bindgen copies next to the glue (`pkg/snippets/...`), relative to dist/. */
function snippets(dist) {
  const dir = join(dist, 'pkg/snippets');
  try {
    return readdirSync(dir, { recursive: true })
      .filter((name) => name.endsWith('.js'))
      .map((name) => join('pkg/snippets', name));
  } catch {
    return [];
  }
}

/** The files measured, relative to dist/, grouped as reported. The glue is wasm-bindgen's JS. */
export const sizeGroups = (dist) => ({
  wasm: ['pkg/toolbar_authenticator_bg.wasm'],
  glue: ['pkg/toolbar_authenticator.js', ...snippets(dist)],
  'popup js': ['popup.js', 'accounts.js', 'i18n.js', 'security.js'],
  'popup css': ['popup.css'],
  'popup html': ['popup.html'],
});

/** Bytes of `gzip -9 -n` output (the same measure `cargo xtask build` prints). */
function gzipSize(path) {
  return execFileSync('gzip', ['-9', '-n', '-c', path], { maxBuffer: 64 << 20 }).length;
}

function measure(paths) {
  return paths.reduce(
    (sum, path) => ({ raw: sum.raw + statSync(path).size, gzip: sum.gzip + gzipSize(path) }),
    { raw: 0, gzip: 0 },
  );
}

/** `{group: {raw, gzip}}` for every group, `wasm+glue`, and the store zip (raw only: it is compressed). */
export function sizes(dist, zip) {
  const out = {};
  const groups = sizeGroups(dist);
  for (const [group, files] of Object.entries(groups)) {
    out[group] = { files, ...measure(files.map((f) => join(dist, f))) };
  }
  out['wasm+glue'] = {
    files: [...groups.wasm, ...groups.glue],
    raw: out.wasm.raw + out.glue.raw,
    gzip: out.wasm.gzip + out.glue.gzip,
  };
  out['store zip'] = { files: [zip], raw: statSync(zip).size, gzip: null };
  return out;
}
