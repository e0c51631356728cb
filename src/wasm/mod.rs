//! Browser bindings: the only code that knows about wasm-bindgen, JavaScript values,
//! `chrome.storage` and the clock. It converts between JS and core types and maps core errors to
//! JS `Error`s with a stable `code`.

mod app;
mod clock;
mod errors;
mod storage;

use serde::Serialize;
use wasm_bindgen::prelude::*;

use crate::form::{FormError, parse_secret_field};
use crate::otp::{Generator, OtpKind};
use crate::uri::parse_uri;
use errors::{Coded, js_error};

/// A description of an account that never includes its key.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct AccountInfo<'a> {
    issuer: &'a str,
    account: &'a str,
    #[serde(rename = "type")]
    kind: &'static str,
    algorithm: &'static str,
    digits: u8,
    #[serde(skip_serializing_if = "Option::is_none")]
    period: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    counter: Option<u64>,
}

impl<'a> AccountInfo<'a> {
    fn new(issuer: &'a str, account: &'a str, params: crate::otp::OtpParams) -> Self {
        let (kind, counter) = match params.kind {
            OtpKind::Totp { .. } => ("totp", None),
            OtpKind::Hotp { counter } => ("hotp", Some(counter)),
            OtpKind::Steam => ("steam", None),
        };
        Self {
            issuer,
            account,
            kind,
            algorithm: params.algorithm.name(),
            digits: params.digits,
            period: params.period(),
            counter,
        }
    }
}

/// Converts a serialisable value to a plain JS object (through JSON text, which keeps the
/// module small and crosses the JS boundary once).
fn to_js<T: Serialize>(value: &T) -> Result<JsValue, JsValue> {
    let text = serde_json_wasm::to_string(value).map_err(|e| js_error("internal", None, e))?;
    js_sys::JSON::parse(&text)
}

/// Reads a plain JS object into a deserialisable value (through JSON text).
fn from_js<T: serde::de::DeserializeOwned>(value: &JsValue) -> Result<T, JsValue> {
    let text: String = js_sys::JSON::stringify(value)?.into();
    serde_json_wasm::from_str(&text).map_err(|e| js_error("form.shape", None, e))
}

/// Whole Unix seconds from a JS number, refusing what is not a time.
fn unix_seconds(value: f64) -> Result<u64, JsValue> {
    if value.is_finite() && (0.0..=9_007_199_254_740_991.0).contains(&value) {
        // In range and finite, so the conversion is exact after flooring.
        Ok(value.floor() as u64)
    } else {
        Err(js_error(
            "time.invalid",
            None,
            "The time must be a number of seconds since 1970 (0 or more).",
        ))
    }
}

/// `codeAt(uri, unixSeconds)`: the code an `otpauth://` URI gives at a time (HOTP: at its
/// counter). Throws an `Error` with `code` and `message` for a bad URI.
#[wasm_bindgen(js_name = codeAt)]
pub fn code_at(uri: &str, unix_seconds_value: f64) -> Result<String, JsValue> {
    let time = unix_seconds(unix_seconds_value)?;
    let draft = parse_uri(uri).map_err(|e| e.to_js())?;
    let generator = Generator::new(&draft.secret, draft.params).map_err(|e| e.to_js())?;
    Ok(generator.code_at(time))
}

/// `parseUri(uri)`: `{issuer, account, type, algorithm, digits, period?, counter?}`; never the
/// secret. Throws an `Error` with `code` and `message` for a bad URI.
#[wasm_bindgen(js_name = parseUri)]
pub fn parse_uri_js(uri: &str) -> Result<JsValue, JsValue> {
    let draft = parse_uri(uri).map_err(|e| e.to_js())?;
    to_js(&AccountInfo::new(&draft.issuer, &draft.name, draft.params))
}

/// `checkSecret(text)`: `null` when the Secret key field (a key or an `otpauth://` link) is
/// valid, else an `Error` with `code`, `field` and `message` (returned, not thrown).
#[wasm_bindgen(js_name = checkSecret)]
pub fn check_secret(text: &str) -> JsValue {
    match parse_secret_field(text) {
        Ok(_) => JsValue::NULL,
        Err(error) => form_error(&error),
    }
}

/// A form error as a JS `Error` whose `field` names the form field.
fn form_error(error: &FormError) -> JsValue {
    let code = match error {
        FormError::Secret(e) => e.code(),
        FormError::Uri(e) => e.code(),
        FormError::Params(e) => e.code(),
        FormError::NotANumber { .. } => "form.number",
        FormError::Choice { .. } => "form.choice",
    };
    js_error(code, Some(error.field()), error)
}
