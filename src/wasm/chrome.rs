//! The extension APIs no crate covers (`chrome.*`): the module's only hand-written `extern`
//! block for a browser API. Everything the web platform defines goes through `web-sys`.

use js_sys::Promise;
use wasm_bindgen::prelude::*;

#[wasm_bindgen]
extern "C" {
    /// `chrome.storage.local.get(keys)`: resolves to an object of the stored values.
    #[wasm_bindgen(js_namespace = ["chrome", "storage", "local"], js_name = get)]
    pub fn local_get(keys: &JsValue) -> Promise;
    /// `chrome.storage.local.set(items)`: one transaction for every item.
    #[wasm_bindgen(js_namespace = ["chrome", "storage", "local"], js_name = set)]
    pub fn local_set(items: &JsValue) -> Promise;
    /// `chrome.storage.local.remove(keys)`.
    #[wasm_bindgen(js_namespace = ["chrome", "storage", "local"], js_name = remove)]
    pub fn local_remove(keys: &JsValue) -> Promise;
    /// `chrome.storage.session.get(keys)`: memory-only storage.
    #[wasm_bindgen(js_namespace = ["chrome", "storage", "session"], js_name = get)]
    pub fn session_get(keys: &JsValue) -> Promise;
    /// `chrome.storage.session.set(items)`.
    #[wasm_bindgen(js_namespace = ["chrome", "storage", "session"], js_name = set)]
    pub fn session_set(items: &JsValue) -> Promise;
    /// `chrome.storage.session.remove(keys)`.
    #[wasm_bindgen(js_namespace = ["chrome", "storage", "session"], js_name = remove)]
    pub fn session_remove(keys: &JsValue) -> Promise;
}
