// Part 3: raw and gzip -9 bytes of what the extension ships.

import { execFileSync } from 'node:child_process';
import { statSync } from 'node:fs';

/** Bytes of `gzip -9 -n` output (the same measure `cargo xtask build` prints). */
function gzipSize(path) {
  return execFileSync('gzip', ['-9', '-n', '-c', path], { maxBuffer: 64 << 20 }).length;
}

/** `{raw, gzip}` bytes of one file. */
export function fileSize(path) {
  return { raw: statSync(path).size, gzip: gzipSize(path) };
}

/** Bytes of the store zip (raw only: it is compressed already). */
export function zipSize(zip) {
  return { file: zip, raw: statSync(zip).size };
}
