// codeAt's side of the prepared-link cache (src/wasm/links.rs): which slot each link text was
// prepared into. Only the caller's own link strings and slot numbers live here; the prepared
// keys stay in WebAssembly memory.

const slots = new Map();

/** The slot `link` was prepared into, or -1. */
export function slotOf(link) {
  const slot = slots.get(link);
  return slot === undefined ? -1 : slot;
}

/** Records that `link` was prepared into `slot`. */
export function remember(link, slot) {
  slots.set(link, slot);
}

/** Forgets every link (the Rust side empties its slots at the same time). */
export function forgetAll() {
  slots.clear();
}

/**
 * A code of `length` ASCII characters (at most 8) packed little-endian into two 32-bit numbers:
 * one call and no UTF-8 decoding, the cheapest way found to hand a short string out (bench/).
 */
export function codeText(low, high, length) {
  return String.fromCharCode(
    low & 255, (low >>> 8) & 255, (low >>> 16) & 255, low >>> 24,
    high & 255, (high >>> 8) & 255, (high >>> 16) & 255, high >>> 24,
  ).slice(0, length);
}
