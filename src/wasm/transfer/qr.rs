//! `decodeQr` and `encodeQr`: the QR core (`crate::qr`) for the view.

use js_sys::{Array, Uint8Array};
use wasm_bindgen::prelude::*;

use super::super::Fields;
use super::super::errors::js_error;
use crate::qr::{PayloadKind, QrError, decode_rgba, encode};

/// A QR error as a JS `Error` with its stable `code`.
fn qr_error(error: &QrError) -> JsValue {
    js_error(error.code(), None, error)
}

/// `decodeQr(width, height, rgba)`: every QR code in a picture, as
/// `[{kind, text}]` (`kind` is `otpauth`, `otpauth-migration` or `text`) or, for bytes that are
/// not text, `{kind: 'binary', bytes}`. `rgba` is an `ImageData`'s `data` (4 bytes per pixel,
/// at the capture's own resolution). An empty array when no code is found; throws an `Error`
/// with `code` `qr.image-too-large` or `qr.image-size`.
#[wasm_bindgen(js_name = decodeQr)]
pub fn decode_qr(width: u32, height: u32, rgba: &[u8]) -> Result<Array, JsValue> {
    let found = decode_rgba(width as usize, height as usize, rgba).map_err(|e| qr_error(&e))?;
    let list = Array::new();
    for payload in &found {
        let kind = payload.kind();
        let fields = Fields::new().text("kind", kind.id());
        let item = match (kind, payload.text()) {
            (PayloadKind::Binary, _) | (_, None) => {
                fields.set("bytes", &Uint8Array::from(payload.bytes()).into())
            }
            (_, Some(text)) => fields.text("text", text),
        };
        list.push(&item.done());
    }
    Ok(list)
}

/// `encodeQr(text)`: `{version, size, side, path}` for drawing `text` as a QR code at error
/// correction level M: an `<svg viewBox="0 0 side side">` with a light background and one
/// `<path>` whose `d` attribute is `path` (set with `setAttribute`), filled dark. `side`
/// includes the 4-module quiet zone; `size` does not. Throws an `Error` with `code`
/// `qr.text-too-long` when the text does not fit in one code.
#[wasm_bindgen(js_name = encodeQr)]
pub fn encode_qr(text: &str) -> Result<JsValue, JsValue> {
    let matrix = encode(text).map_err(|e| qr_error(&e))?;
    Ok(Fields::new()
        .number("version", f64::from(matrix.version))
        .number("size", matrix.size as f64)
        .number("side", matrix.side() as f64)
        .text("path", &matrix.svg_path())
        .done())
}
