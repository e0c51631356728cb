//! Key derivation off the page's thread. Argon2id with the default parameters takes a few
//! hundred milliseconds (seconds at the largest a header may ask), which would freeze the popup,
//! so a page derives in a dedicated Worker (`kdf-worker.js`) running the second module (built
//! with the `settings` feature, `toolbar_authenticator_settings`). The popup's own module never
//! links Argon2id at all.
//!
//! Passwords are normalised to Unicode NFC (with the browser's tables) before anything else
//! sees them, so a composed and a decomposed "é" are the same password.

use js_sys::JsString;
use wasm_bindgen::prelude::*;
use zeroize::Zeroizing;

use crate::crypto::{KdfSpec, VaultKey};
#[cfg(not(feature = "settings"))]
use {
    super::errors::{internal, refused},
    super::to_js,
    crate::coded::RequestError,
    js_sys::{Promise, Reflect},
    serde::Serialize,
    wasm_bindgen_futures::JsFuture,
    web_sys::{MessageEvent, Worker, WorkerOptions, WorkerType},
};

#[cfg(not(feature = "settings"))]
/// The worker script, at the root of the extension.
const WORKER_URL: &str = "/kdf-worker.js";

/// `text` in Unicode normalisation form C, by the browser's own tables (the module does not
/// carry them).
pub fn nfc(text: &str) -> Zeroizing<String> {
    Zeroizing::new(JsString::from(text).normalize("NFC").into())
}

#[cfg(not(feature = "settings"))]
/// What the page asks the worker: derive the key of `password` as `spec` (JSON) says, or, with
/// no spec, a new key with a fresh salt and today's default parameters.
#[derive(Serialize)]
struct Request<'a> {
    password: &'a str,
    spec: Option<String>,
}

/// The page's key-derivation worker, started ahead of need (its module loads while the person
/// types the password) and kept for the page's life: Argon2id's memory, once grown, serves
/// every later derivation, as it did when derivation ran in the page. `first` is the promise
/// of its first answer, awaited from the start so that an error while its module loads (no
/// other listener exists then) still settles it.
#[cfg(not(feature = "settings"))]
struct KdfWorker {
    worker: Worker,
    first: Option<Promise>,
}

#[cfg(not(feature = "settings"))]
thread_local! {
    /// The idle worker; taken while a derivation runs (a second one at the same time gets a
    /// worker of its own).
    static IDLE: std::cell::RefCell<Option<KdfWorker>> = const { std::cell::RefCell::new(None) };
}

/// The promise of the worker's next answer (or error).
#[cfg(not(feature = "settings"))]
fn answer(worker: &Worker) -> Promise {
    Promise::new(&mut |resolve, reject| {
        worker.set_onmessage(Some(&resolve));
        worker.set_onerror(Some(&reject));
    })
}

#[cfg(not(feature = "settings"))]
fn spawn() -> Result<KdfWorker, JsValue> {
    let options = WorkerOptions::new();
    options.set_type(WorkerType::Module);
    let worker = Worker::new_with_options(WORKER_URL, &options)?;
    let first = Some(answer(&worker));
    Ok(KdfWorker { worker, first })
}

/// Starts the key-derivation worker now if none is waiting (the lock screen is showing);
/// nothing happens where no worker can run (the background worker).
#[cfg(not(feature = "settings"))]
pub fn prepare() {
    IDLE.with_borrow_mut(|idle| {
        if idle.is_none() {
            *idle = spawn().ok();
        }
    });
}

/// Derives the key for `password` (already NFC) in the page's worker: as `spec` says, or a
/// new key with a fresh salt and [`crate::crypto::KdfParams::DEFAULT`] when `spec` is `None`.
///
/// # Errors
/// The derivation's error (`crypto.*`, with `code` and `message`), or `crypto.worker` when
/// no worker could run it.
#[cfg(not(feature = "settings"))]
pub async fn derive(password: &str, spec: Option<&KdfSpec>) -> Result<VaultKey, JsValue> {
    let spec = spec
        .map(serde_json_wasm::to_string)
        .transpose()
        .map_err(internal)?;
    let request = to_js(&Request { password, spec })?;
    let idle = IDLE.with_borrow_mut(Option::take);
    let KdfWorker { worker, first } = idle.map_or_else(spawn, Ok).map_err(|_| no_worker())?;
    let reply = first.unwrap_or_else(|| answer(&worker));
    let reply = match worker.post_message(&request) {
        Ok(()) => JsFuture::from(reply).await.map_err(|_| no_worker()),
        Err(_) => Err(no_worker()),
    };
    match &reply {
        // Ready for the next derivation (unless another one started a worker meanwhile).
        Ok(_) => IDLE.with_borrow_mut(|idle| {
            if idle.is_none() {
                *idle = Some(KdfWorker {
                    worker: worker.clone(),
                    first: None,
                });
            } else {
                worker.terminate();
            }
        }),
        Err(_) => worker.terminate(),
    }
    let data = reply?.unchecked_into::<MessageEvent>().data();
    let field = |name: &str| Reflect::get(&data, &JsValue::from_str(name)).unwrap_or_default();
    match field("key").as_string() {
        Some(text) => {
            let text = Zeroizing::new(text);
            VaultKey::from_session_text(&text).ok_or_else(no_worker)
        }
        None => {
            let error = field("error");
            Err(if error.is_object() {
                error
            } else {
                no_worker()
            })
        }
    }
}

#[cfg(not(feature = "settings"))]
fn no_worker() -> JsValue {
    refused(RequestError::NoWorker)
}

/// The worker's side (`settings` feature): `deriveKey(password, spec)`, the key (as session
/// text: the key and its derivation, never the password) of `password` as the JSON `spec`
/// says, or of a new key with a fresh salt when `spec` is `null`. Throws an `Error` with `code`.
#[cfg(feature = "settings")]
#[wasm_bindgen(js_name = deriveKey)]
pub fn derive_key(password: String, spec: Option<String>) -> Result<String, JsValue> {
    use super::errors::ToJs;
    use crate::crypto::{CryptoError, KdfParams};

    let password = Zeroizing::new(password);
    let key = match spec {
        Some(spec) => {
            let spec: KdfSpec = serde_json_wasm::from_str(&spec)
                .map_err(|_| CryptoError::Malformed("key derivation settings").to_js())?;
            VaultKey::derive(&password, &spec)
        }
        None => VaultKey::create(&password, KdfParams::DEFAULT),
    };
    match key {
        Ok(key) => Ok(key.to_session_text().as_str().to_owned()),
        Err(error) => Err(crate::vault::VaultError::Crypto(error).to_js()),
    }
}
