//! The popup module's free functions: `codeAt`, `parseUri`, `checkSecret`, and the JS
//! conversions the popup's handle shares.

use js_sys::JsString;
use serde::Serialize;
use wasm_bindgen::prelude::*;

use super::errors::{ToJs, internal, refused};
use super::{links, to_js};
use crate::coded::RequestError;
use crate::form::{FormError, parse_secret_field};
use crate::uri::parse_uri;
use crate::vault::AccountSummary;

/// Plain JS data through JSON text, for long lists only: `accounts()` with 1,000 rows is
/// faster as one string and `JSON.parse` than as an object per row (README, "JS API").
pub fn json_to_js<T: Serialize>(value: &T) -> Result<JsValue, JsValue> {
    let text = serde_json_wasm::to_string(value).map_err(internal)?;
    js_sys::JSON::parse(&text)
}

/// Whole Unix seconds from a JS number, refusing what is not a time.
pub(super) fn unix_seconds(value: f64) -> Result<u64, JsValue> {
    if value.is_finite() && (0.0..=9_007_199_254_740_991.0).contains(&value) {
        // In range and finite, so the conversion is exact after flooring.
        Ok(value.floor() as u64)
    } else {
        Err(refused(RequestError::BadTime))
    }
}

/// `codeAt(uri, unixSeconds)`: the code an `otpauth://` URI gives at a time (HOTP: at its
/// counter). Throws an `Error` with `code` (and `values`, `cause`) for a bad URI.
#[wasm_bindgen(js_name = codeAt)]
///
/// Each link's prepared key is kept (see `links`), so asking again for the same link costs one
/// HMAC rather than a parse and a key schedule. Errors go through `Result`, not
/// `wasm_bindgen::throw_val`: throwing from inside skipped the release of the borrowed `uri`
/// slot, and after 1,023 bad calls every call failed (the browser test makes 1,500).
pub fn code_at(
    #[wasm_bindgen(unchecked_param_type = "string")] uri: &JsValue,
    unix_seconds_value: f64,
) -> Result<JsString, JsValue> {
    links::code_at(uri, unix_seconds(unix_seconds_value)?)
}

/// `parseUri(uri)`: `{issuer, account, type, algorithm, digits, period?, counter?}`; never the
/// secret. Throws an `Error` with `code` (and `values`, `cause`) for a bad URI.
#[wasm_bindgen(js_name = parseUri)]
pub fn parse_uri_js(uri: &str) -> Result<JsValue, JsValue> {
    let draft = parse_uri(uri).map_err(|e| e.to_js())?;
    to_js(&AccountSummary::new(
        &draft.issuer,
        &draft.name,
        draft.params,
    ))
}

/// `checkSecret(text)`: `null` when the Secret key field (a key or an `otpauth://` link) is
/// valid, else an `Error` with `code`, `field`, `detail`, `values` (returned, not thrown).
#[wasm_bindgen(js_name = checkSecret)]
pub fn check_secret(text: &str) -> JsValue {
    match parse_secret_field(text) {
        Ok(_) => JsValue::NULL,
        Err(error) => form_error(&error),
    }
}

/// A form error as a JS `Error` whose `field` names the form field.
pub fn form_error(error: &FormError) -> JsValue {
    error.to_js()
}
