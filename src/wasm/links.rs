//! `codeAt`'s prepared links: each `otpauth://` link is parsed and its HMAC key schedule done
//! once, then reused while the link is asked for again.
//!
//! The link text is looked up in a JavaScript `Map` (link → slot, in links.js), so a repeated call does not
//! copy the link into WebAssembly memory, hash it or parse it: measured in Chromium, copying a
//! 116-character link in cost more than the HMAC itself (see bench/). The prepared keys live
//! here, in WebAssembly memory, and are zeroised when dropped. At most [`CAPACITY`] links are
//! kept; a new link beyond that empties the cache first.

use std::cell::RefCell;

use js_sys::JsString;
use wasm_bindgen::prelude::*;

use super::errors::{ToJs, internal, refused};
use crate::coded::RequestError;
use crate::otp::{Code, Generator};
use crate::uri::{UriError, parse_uri};

/// Most links kept at once.
pub const CAPACITY: usize = 256;

#[wasm_bindgen(module = "/src/wasm/links.js")]
extern "C" {
    #[wasm_bindgen(js_name = slotOf)]
    fn slot_of(link: &JsValue) -> i32;
    fn remember(link: &JsValue, slot: u32);
    #[wasm_bindgen(js_name = forgetAll)]
    fn forget_all();
    #[wasm_bindgen(js_name = codeText)]
    fn code_text(low: u32, high: u32, length: u32) -> JsString;
}

thread_local! {
    /// The prepared generators, indexed by the slots `links.js` hands out. WebAssembly here is
    /// single-threaded: one cache per module instance.
    static GENERATORS: RefCell<Vec<Generator>> = const { RefCell::new(Vec::new()) };
}

/// The code `link` gives at `unix_seconds`, preparing the link first if it is new.
///
/// # Errors
/// A JS `Error` when `link` is not text or not a usable `otpauth://` link.
pub fn code_at(link: &JsValue, unix_seconds: u64) -> Result<JsString, JsValue> {
    GENERATORS.with_borrow_mut(|generators| {
        let known = usize::try_from(slot_of(link))
            .ok()
            .filter(|slot| *slot < generators.len());
        let slot = match known {
            Some(slot) => slot,
            None => prepare(generators, link)?,
        };
        let generator = generators.get(slot).ok_or_else(|| internal(slot))?;
        Ok(to_js_text(&generator.code_value_at(unix_seconds)))
    })
}

/// Parses `link`, prepares its key into a new slot (emptying the cache first when full).
fn prepare(generators: &mut Vec<Generator>, link: &JsValue) -> Result<usize, JsValue> {
    let text = link
        .as_string()
        .ok_or_else(|| refused(RequestError::LinkNotText))?;
    let text = zeroize::Zeroizing::new(text);
    let draft = parse_uri(&text).map_err(|e| e.to_js())?;
    let generator =
        Generator::new(&draft.secret, draft.params).map_err(|e| UriError::Params(e).to_js())?;
    if generators.len() >= CAPACITY {
        forget_all();
        generators.clear();
    }
    let slot = generators.len();
    generators.push(generator);
    // Below CAPACITY, so it fits.
    remember(link, u32::try_from(slot).unwrap_or(u32::MAX));
    Ok(slot)
}

/// A code as a JS string (see `codeText` in links.js).
fn to_js_text(code: &Code) -> JsString {
    let mut packed = [0u8; 8];
    let text = code.as_str().as_bytes();
    let length = text.len().min(packed.len());
    packed[..length].copy_from_slice(&text[..length]);
    let [a, b, c, d, e, f, g, h] = packed;
    code_text(
        u32::from_le_bytes([a, b, c, d]),
        u32::from_le_bytes([e, f, g, h]),
        length as u32,
    )
}
