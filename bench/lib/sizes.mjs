// Part 3: raw and gzip -9 bytes of what the extension ships.

import { execFileSync } from 'node:child_process';
import { statSync } from 'node:fs';
import { join } from 'node:path';

/** The files measured, relative to dist/, grouped as reported. */
export const SIZE_GROUPS = {
  wasm: ['pkg/toolbar_authenticator_bg.wasm'],
  glue: ['pkg/toolbar_authenticator.js'],
  'popup js': ['popup.js', 'accounts.js', 'i18n.js', 'security.js'],
  'popup css': ['popup.css'],
  'popup html': ['popup.html'],
};

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
  for (const [group, files] of Object.entries(SIZE_GROUPS)) {
    out[group] = { files, ...measure(files.map((f) => join(dist, f))) };
  }
  out['wasm+glue'] = {
    files: [...SIZE_GROUPS.wasm, ...SIZE_GROUPS.glue],
    raw: out.wasm.raw + out.glue.raw,
    gzip: out.wasm.gzip + out.glue.gzip,
  };
  out['store zip'] = { files: [zip], raw: statSync(zip).size, gzip: null };
  return out;
}
