//! Browser bindings: the only code that knows about wasm-bindgen, JavaScript values,
//! `chrome.storage` and the clock. It converts between JS and core types and maps core errors to
//! JS `Error`s with a stable `code`.

mod app;
mod clock;
mod errors;
mod links;
mod storage;
#[cfg(feature = "transfer")]
mod transfer;

use js_sys::{JsString, Object, Reflect};
use serde::Serialize;
use wasm_bindgen::prelude::*;

use crate::form::{FormError, parse_secret_field};
use crate::otp::OtpKind;
use crate::uri::parse_uri;
use errors::{Coded, js_error};

/// The module's allocator: Talc instead of the default dlmalloc (smaller, and faster).
#[global_allocator]
static ALLOCATOR: talc::wasm::WasmDynamicTalc = talc::wasm::new_wasm_dynamic_allocator();

/// A description of an account that never includes its key (with its `id` in `accounts()`).
#[derive(Serialize)]
struct AccountInfo<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    id: Option<&'a str>,
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
            id: None,
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

/// Plain JS data (objects, arrays) from a serialisable value, through JSON text: for lists
/// (`accounts()` with 1,000 rows) one string crossing and `JSON.parse` are several times faster
/// than a `Reflect.set` crossing per property (measured: 1.5 ms against 9.5 ms).
fn json_to_js<T: Serialize>(value: &T) -> Result<JsValue, JsValue> {
    let text = serde_json_wasm::to_string(value).map_err(|e| js_error("internal", None, e))?;
    js_sys::JSON::parse(&text)
}

/// A plain JS object built property by property. Direct `Reflect.set` calls keep the module
/// smaller than a serialisation framework stamped out for every shape (and than JSON text).
struct Fields(Object);

impl Fields {
    fn new() -> Self {
        Self(Object::new())
    }

    fn set(self, key: &str, value: &JsValue) -> Self {
        // Setting a property on a fresh plain object cannot fail.
        let _ = Reflect::set(&self.0, &JsValue::from_str(key), value);
        self
    }

    fn text(self, key: &str, value: &str) -> Self {
        self.set(key, &JsValue::from_str(value))
    }

    /// A JS number (integers above 2^53 round, as they did through JSON text).
    fn number(self, key: &str, value: f64) -> Self {
        self.set(key, &JsValue::from_f64(value))
    }

    fn flag(self, key: &str, value: bool) -> Self {
        self.set(key, &JsValue::from_bool(value))
    }

    /// A string, or `null` when there is none.
    fn text_or_null(self, key: &str, value: Option<&str>) -> Self {
        let value = value.map_or(JsValue::NULL, JsValue::from_str);
        self.set(key, &value)
    }

    fn done(self) -> JsValue {
        self.0.into()
    }
}

/// Reads the string property `key` of a plain JS object: missing or `undefined` is empty;
/// anything else that is not a string is refused with `form.shape`.
fn text_field(object: &JsValue, key: &str) -> Result<String, JsValue> {
    if !object.is_object() {
        return Err(js_error(
            "form.shape",
            None,
            "The form must be an object of text fields.",
        ));
    }
    let value = Reflect::get(object, &JsValue::from_str(key))?;
    if value.is_undefined() {
        return Ok(String::new());
    }
    value.as_string().ok_or_else(|| {
        js_error(
            "form.shape",
            None,
            format_args!("The form field `{key}` must be text."),
        )
    })
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
/// secret. Throws an `Error` with `code` and `message` for a bad URI.
#[wasm_bindgen(js_name = parseUri)]
pub fn parse_uri_js(uri: &str) -> Result<JsValue, JsValue> {
    let draft = parse_uri(uri).map_err(|e| e.to_js())?;
    json_to_js(&AccountInfo::new(&draft.issuer, &draft.name, draft.params))
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
