//! Browser bindings: the only code that knows about wasm-bindgen, JavaScript values,
//! `chrome.storage` and the clock. It converts between JS and core types and maps core errors to
//! JS `Error`s with a stable `code`.

//!
//! Two modules are built from them (xtask/src/build.rs): the popup's, and with the `settings`
//! feature a second one that only Settings and the key-derivation worker load: Argon2id,
//! password hints and records kept aside (`kdf`, `settings`), and nothing of the popup's.

mod chrome;
mod errors;
mod kdf;
// The storage calls the second module makes are a subset.
#[cfg_attr(feature = "settings", allow(dead_code))]
mod storage;
#[cfg(feature = "transfer")]
mod transfer;

#[cfg(not(feature = "settings"))]
mod api;
#[cfg(not(feature = "settings"))]
mod app;
#[cfg(not(feature = "settings"))]
mod clock;
#[cfg(not(feature = "settings"))]
mod links;
#[cfg(not(feature = "settings"))]
mod ops;
#[cfg(feature = "settings")]
mod settings;
#[cfg(not(feature = "settings"))]
mod snapshot;

use serde::Serialize;
use serde_wasm_bindgen::Serializer;
use wasm_bindgen::prelude::*;

/// The module's allocator: Talc instead of the default dlmalloc (smaller, and faster).
#[global_allocator]
static ALLOCATOR: talc::wasm::WasmDynamicTalc = talc::wasm::new_wasm_dynamic_allocator();

/// Plain JS data from one of the core's serialisable values (objects, not `Map`s; `None` as
/// `null`). Through `serde-wasm-bindgen`: no JSON text in between.
fn to_js<T: Serialize + ?Sized>(value: &T) -> Result<JsValue, JsValue> {
    const SERIALIZER: Serializer = Serializer::new().serialize_missing_as_null(true);
    value.serialize(&SERIALIZER).map_err(errors::internal)
}
