// Derives vault keys off the page's thread (src/wasm/kdf.rs), so a password never freezes the
// popup. It runs the second module (the only one with Argon2id) and answers each request with
// the key (as session text) or an error. It stores nothing and keeps no key or password; it
// ends with the page that started it.

import init, { deriveKey } from './pkg/toolbar_authenticator_settings.js';

const ready = init();

onmessage = async ({ data }) => {
  try {
    await ready;
    postMessage({ key: deriveKey(data.password, data.spec ?? undefined) });
  } catch (error) {
    // The module's errors carry data, not words (src/wasm/errors.rs); an Error's own
    // properties do not survive postMessage, so they are copied.
    const { code = 'crypto.worker', field, detail, values } = error ?? {};
    postMessage({ error: { code, field, detail, values } });
  }
};
