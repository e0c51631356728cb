//! Core errors as JavaScript `Error`s carrying data, not words: `code`, and when they apply
//! `field`, `detail`, `values` and `cause` (see [`crate::coded`]). The `message` is the code
//! itself, for the console; the view's words come from `_locales` (`errorText` in
//! `extension/i18n.js`). Nothing here formats a core error with `Display`, so the modules link
//! none of the core's English sentences for them. Values never contain key material.

use js_sys::{Array, Error, Reflect};
use wasm_bindgen::JsValue;

use crate::coded::{Coded, ErrorReport, MessageValue, RequestError};

/// `report` as a JS `Error`: `message` and `code` are the code; `field`, `detail`, `values`
/// (strings and numbers) and `cause` (another such `Error`) are set when present.
pub fn report_to_js(report: &ErrorReport) -> JsValue {
    let error = Error::new(report.code);
    let set = |key: &str, value: &JsValue| {
        // Setting a property on a fresh Error object cannot fail.
        let _ = Reflect::set(&error, &JsValue::from_str(key), value);
    };
    set("code", &JsValue::from_str(report.code));
    if let Some(field) = report.field {
        set("field", &JsValue::from_str(field));
    }
    if let Some(detail) = report.detail {
        set("detail", &JsValue::from_str(detail));
    }
    if !report.values.is_empty() {
        let values: Array = report.values.iter().map(value_to_js).collect();
        set("values", &values);
    }
    if let Some(cause) = &report.cause {
        set("cause", &report_to_js(cause));
    }
    error.into()
}

/// A message value as a JS string or number.
fn value_to_js(value: &MessageValue) -> JsValue {
    match value {
        MessageValue::Text(text) => JsValue::from_str(text),
        // Exact up to 2^53; the values are positions, sizes and limits.
        MessageValue::Number(number) => JsValue::from_f64(*number as f64),
    }
}

/// Any core error (anything [`Coded`]) as a JS `Error`.
pub trait ToJs: Coded {
    /// See [`report_to_js`].
    fn to_js(&self) -> JsValue {
        report_to_js(&self.report())
    }
}

impl<T: Coded + ?Sized> ToJs for T {}

/// A code the bindings raise themselves, as a JS `Error`.
pub fn refused(error: RequestError) -> JsValue {
    error.to_js()
}

/// `internal`: something that cannot happen did (a value that did not convert). What the
/// underlying error said is not kept: it would be English text, and nobody can act on it.
pub fn internal<E>(_: E) -> JsValue {
    refused(RequestError::Internal)
}
