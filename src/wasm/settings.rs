//! The second module's own exports (`settings` feature), for Settings: password hints and the
//! records kept aside. With `deriveKey` (src/wasm/kdf.rs) they are all it has: the popup's
//! module does without them, and this one without the popup's.

use wasm_bindgen::prelude::*;

use super::kdf::nfc;
use super::storage::{self, Area, VAULT_LOCK};
use super::to_js;
use crate::crypto::{VaultKey, password_hint};
use crate::store::{self, DAMAGED_KEY, KeptAside, SESSION_KEY, Stored};

/// `passwordHint(text)`: a short rule-based hint for a new password as it is typed:
/// `too-short` (refused), `predictable`, `one-kind`, `longer` or `good`.
#[wasm_bindgen(js_name = passwordHint)]
pub fn password_hint_js(text: &str) -> Result<JsValue, JsValue> {
    to_js(&password_hint(&nfc(text)))
}

/// `keptAside()`: resolves to `[{key, keptAt, bytes}]`, the records kept aside (stored values
/// that could not be used, saved before anything overwrote them), newest first; `keptAt` in ms
/// since 1970 or `null`. Nothing is ever deleted unless the user asks.
#[wasm_bindgen(js_name = keptAside)]
pub async fn kept_aside() -> Result<JsValue, JsValue> {
    let mut list: Vec<KeptAside> = Vec::new();
    for (name, value) in storage::local_with_prefix(DAMAGED_KEY).await? {
        let Some(entry) = value.raw().and_then(|raw| KeptAside::new(&name, raw.len())) else {
            continue;
        };
        // Newest first, by insertion: there are a few.
        let at = list.partition_point(|e| e.kept_at >= entry.kept_at);
        list.insert(at, entry);
    }
    to_js(&list)
}

/// `keptAsideRecord(key)`: resolves to the record kept aside under `key`, for a download:
/// opened with the session key when the vault is unlocked and it was sealed with it, else as
/// stored.
#[wasm_bindgen(js_name = keptAsideRecord)]
pub async fn kept_aside_record(key: String) -> Result<JsValue, JsValue> {
    let stored = storage::get(Area::Local, &[&key]).await?;
    let session = storage::get(Area::Session, &[SESSION_KEY]).await?;
    let vault_key = match session.into_iter().next() {
        Some(Stored::Text(text)) => VaultKey::from_session_text(&text),
        _ => None,
    };
    let stored = stored.into_iter().next().unwrap_or(Stored::Missing);
    let bytes = store::plain_bytes(&stored, vault_key.as_ref());
    Ok(JsValue::from_str(
        std::str::from_utf8(&bytes).unwrap_or_default(),
    ))
}

/// `deleteKeptAside(key)`: deletes the record kept aside under `key` (no other key), under the
/// vault's Web Lock, after the user confirmed.
#[wasm_bindgen(js_name = deleteKeptAside)]
pub async fn delete_kept_aside(key: String) -> Result<(), JsValue> {
    if KeptAside::is_kept_aside(&key) {
        let lock = storage::acquire(VAULT_LOCK).await?;
        let removed = storage::remove(Area::Local, &[&key]).await;
        lock.release().await?;
        removed?;
    }
    Ok(())
}
