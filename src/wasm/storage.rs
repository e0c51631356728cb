//! `chrome.storage` (through [`super::chrome`]) and `navigator.locks` (through `web-sys`).
//!
//! Values are stored as strings; reading tells a missing value from text and from anything
//! else ([`Stored`]). Every write of the vault happens inside the Web Lock [`VAULT_LOCK`],
//! which every extension page and the background worker share (Lock now and the auto-lock
//! alarm included), so a read-change-write of one context can never interleave with another's.

use js_sys::{Function, Object, Promise, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;
use web_sys::{LockManager, Window, WorkerGlobalScope};

use super::chrome::{local_get, local_remove, local_set, session_get, session_remove, session_set};
use super::errors::{ToJs, internal};
use crate::store::Stored;
use crate::vault::VaultError;

/// Name of the Web Lock that serialises vault writes across popups and the worker.
pub const VAULT_LOCK: &str = "toolbar-authenticator-vault";

/// Which storage area.
#[derive(Clone, Copy)]
pub enum Area {
    /// `chrome.storage.local`: on disk, survives restarts.
    Local,
    /// `chrome.storage.session`: memory only, cleared when the browser closes.
    Session,
}

/// A stored JS value as missing, text, or anything else (kept as `JSON.stringify` wrote it).
fn stored(value: JsValue) -> Stored {
    if value.is_undefined() {
        return Stored::Missing;
    }
    if let Some(text) = value.as_string() {
        return Stored::Text(text);
    }
    let json = js_sys::JSON::stringify(&value)
        .ok()
        .and_then(|text| text.as_string());
    Stored::Other(json.unwrap_or_else(|| "null".into()))
}

/// Reads the values of `keys`, in order.
pub async fn get(area: Area, keys: &[&str]) -> Result<Vec<Stored>, JsValue> {
    let list: js_sys::Array = keys.iter().map(|k| JsValue::from_str(k)).collect();
    let promise = match area {
        Area::Local => local_get(&list),
        Area::Session => session_get(&list),
    };
    let items = JsFuture::from(promise).await?;
    keys.iter()
        .map(|key| Ok(stored(Reflect::get(&items, &JsValue::from_str(key))?)))
        .collect()
}

/// Writes several string values in one call (one storage transaction: all or nothing). A
/// full local storage is [`VaultError::StorageFull`].
pub async fn set(area: Area, entries: &[(&str, &str)]) -> Result<(), JsValue> {
    let items = Object::new();
    for (key, value) in entries {
        Reflect::set(&items, &JsValue::from_str(key), &JsValue::from_str(value))?;
    }
    let promise = match area {
        Area::Local => local_set(&items),
        Area::Session => session_set(&items),
    };
    JsFuture::from(promise).await.map_err(quota)?;
    Ok(())
}

/// Chromium refuses a write past `QUOTA_BYTES` with "Resource::kQuotaBytes quota exceeded"
/// (earlier versions "QUOTA_BYTES quota exceeded"); browsers that throw a DOMException call it
/// `QuotaExceededError`.
fn quota(error: JsValue) -> JsValue {
    let text = |key: &str| {
        Reflect::get(&error, &JsValue::from_str(key))
            .ok()
            .and_then(|v| v.as_string())
            .unwrap_or_default()
    };
    // Bytes, not `str::contains`: the substring searcher and its panics cost 4.8 KB (README).
    let says_quota = text("message")
        .as_bytes()
        .windows(5)
        .any(|w| w.eq_ignore_ascii_case(b"quota"));
    if says_quota || text("name") == "QuotaExceededError" {
        VaultError::StorageFull.to_js()
    } else {
        error
    }
}

/// Removes keys.
pub async fn remove(area: Area, keys: &[&str]) -> Result<(), JsValue> {
    let list: js_sys::Array = keys.iter().map(|k| JsValue::from_str(k)).collect();
    let promise = match area {
        Area::Local => local_remove(&list),
        Area::Session => session_remove(&list),
    };
    JsFuture::from(promise).await?;
    Ok(())
}

/// Every key and value in local storage whose key starts with `prefix`.
pub async fn local_with_prefix(prefix: &str) -> Result<Vec<(String, Stored)>, JsValue> {
    let items = JsFuture::from(local_get(&JsValue::NULL)).await?;
    let entries = Object::entries(&items.into());
    Ok(entries
        .iter()
        .filter_map(|entry| {
            let pair: js_sys::Array = entry.into();
            let key = pair.get(0).as_string()?;
            key.starts_with(prefix).then(|| (key, stored(pair.get(1))))
        })
        .collect())
}

/// The `LockManager` of this page or worker (`navigator.locks`); `internal` where there is none
/// (every extension page and worker has one).
fn locks() -> Result<LockManager, JsValue> {
    let global = js_sys::global();
    if let Some(window) = global.dyn_ref::<Window>() {
        return Ok(window.navigator().locks());
    }
    match global.dyn_ref::<WorkerGlobalScope>() {
        Some(worker) => Ok(worker.navigator().locks()),
        None => Err(internal("navigator.locks")),
    }
}

/// A held Web Lock; released by [`HeldLock::release`] (or when the page goes away).
pub struct HeldLock {
    release: Function,
    request: Promise,
}

/// Waits for the exclusive Web Lock `name`.
pub async fn acquire(name: &str) -> Result<HeldLock, JsValue> {
    let mut release = None;
    let held = Promise::new(&mut |resolve, _reject| release = Some(resolve));
    let mut granted = None;
    let acquired = Promise::new(&mut |resolve, _reject| granted = Some(resolve));
    let (Some(release), Some(granted)) = (release, granted) else {
        return Err(JsValue::from_str("Promise executor did not run"));
    };
    let callback = Closure::once_into_js(move |_lock: JsValue| -> JsValue {
        // Resolving cannot fail; the lock stays held until `held` settles.
        let _ = granted.call0(&JsValue::NULL);
        held.into()
    });
    let request = locks()?.request(name, callback.unchecked_ref());
    JsFuture::from(acquired).await?;
    Ok(HeldLock { release, request })
}

impl HeldLock {
    /// Releases the lock and waits until the browser has let it go.
    pub async fn release(self) -> Result<(), JsValue> {
        self.release.call0(&JsValue::NULL)?;
        JsFuture::from(self.request).await?;
        Ok(())
    }
}
