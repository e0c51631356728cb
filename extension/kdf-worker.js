// Derives vault keys off the page's thread (src/wasm/kdf.rs), so a password never freezes the
// popup. It runs the second module (the only one with Argon2id), answers one request and is
// then ended, which frees the memory Argon2id used. It stores nothing and keeps nothing.

import init, { deriveKey } from './pkg/toolbar_authenticator_settings.js';

const ready = init();

onmessage = async ({ data }) => {
  try {
    await ready;
    postMessage({ key: deriveKey(data.password, data.spec ?? undefined) });
  } catch (error) {
    postMessage({ error: { code: error?.code ?? 'crypto.worker', field: error?.field, message: String(error?.message ?? error) } });
  }
};
