//! `chrome.storage` (through [`super::chrome`]) and `navigator.locks` (through `web-sys`).
//!
//! Values are stored as strings. Every write of the vault happens inside the Web Lock
//! [`VAULT_LOCK`], which every extension page and the background worker share, so a
//! read-change-write of one context can never interleave with another's.

use js_sys::{Function, Object, Promise, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;
use web_sys::{LockManager, Window, WorkerGlobalScope};

use super::chrome::{local_get, local_set, session_get, session_remove, session_set};

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

/// Reads string values for `keys`; a missing or non-string value is `None`.
pub async fn get(area: Area, keys: &[&str]) -> Result<Vec<Option<String>>, JsValue> {
    let list: js_sys::Array = keys.iter().map(|k| JsValue::from_str(k)).collect();
    let promise = match area {
        Area::Local => local_get(&list),
        Area::Session => session_get(&list),
    };
    let items = JsFuture::from(promise).await?;
    keys.iter()
        .map(|key| Ok(Reflect::get(&items, &JsValue::from_str(key))?.as_string()))
        .collect()
}

/// Writes several string values in one call (one storage transaction).
pub async fn set(area: Area, entries: &[(&str, &str)]) -> Result<(), JsValue> {
    let items = Object::new();
    for (key, value) in entries {
        Reflect::set(&items, &JsValue::from_str(key), &JsValue::from_str(value))?;
    }
    let promise = match area {
        Area::Local => local_set(&items),
        Area::Session => session_set(&items),
    };
    JsFuture::from(promise).await?;
    Ok(())
}

/// Removes keys from session storage.
pub async fn remove_session(keys: &[&str]) -> Result<(), JsValue> {
    let list: js_sys::Array = keys.iter().map(|k| JsValue::from_str(k)).collect();
    JsFuture::from(session_remove(&list)).await?;
    Ok(())
}

/// Every key and string value in local storage (to find records kept aside).
pub async fn all_local() -> Result<Vec<(String, String)>, JsValue> {
    let items = JsFuture::from(local_get(&JsValue::NULL)).await?;
    let entries = js_sys::Object::entries(&items.into());
    Ok(entries
        .iter()
        .filter_map(|entry| {
            let pair: js_sys::Array = entry.into();
            Some((pair.get(0).as_string()?, pair.get(1).as_string()?))
        })
        .collect())
}

/// The `LockManager` of this page or worker (`navigator.locks`).
fn locks() -> Result<LockManager, JsValue> {
    let global = js_sys::global();
    if let Some(window) = global.dyn_ref::<Window>() {
        return Ok(window.navigator().locks());
    }
    match global.dyn_ref::<WorkerGlobalScope>() {
        Some(worker) => Ok(worker.navigator().locks()),
        None => Err(JsValue::from_str("navigator.locks is not available here")),
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
