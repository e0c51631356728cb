//! `decodeQr` and `encodeQr`: the QR core (`crate::qr`) for the view.

use serde::Serialize;
use wasm_bindgen::prelude::*;

use super::super::errors::js_error;
use super::super::to_js;
use super::show::Drawing;
use crate::qr::{PayloadKind, QrError, decode_rgba, encode};

/// A QR error as a JS `Error` with its stable `code`.
fn qr_error(error: &QrError) -> JsValue {
    js_error(error.code(), None, error)
}

/// One code found in a picture: text, or the bytes of a code that holds no text.
#[derive(Serialize)]
struct Found<'a> {
    kind: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    text: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none", with = "serde_bytes_or_none")]
    bytes: Option<&'a [u8]>,
}

/// Bytes as a `Uint8Array` (serde-wasm-bindgen turns byte slices into one).
mod serde_bytes_or_none {
    use serde::Serializer;

    pub fn serialize<S: Serializer>(bytes: &Option<&[u8]>, s: S) -> Result<S::Ok, S::Error> {
        match bytes {
            Some(bytes) => s.serialize_bytes(bytes),
            None => s.serialize_none(),
        }
    }
}

/// `decodeQr(width, height, rgba)`: every QR code in a picture, as
/// `[{kind, text}]` (`kind` is `otpauth`, `otpauth-migration` or `text`) or, for bytes that are
/// not text, `{kind: 'binary', bytes}`. `rgba` is an `ImageData`'s `data` (4 bytes per pixel,
/// at the capture's own resolution). An empty array when no code is found; throws an `Error`
/// with `code` `qr.image-too-large` or `qr.image-size`.
#[wasm_bindgen(js_name = decodeQr)]
pub fn decode_qr(width: u32, height: u32, rgba: &[u8]) -> Result<JsValue, JsValue> {
    let found = decode_rgba(width as usize, height as usize, rgba).map_err(|e| qr_error(&e))?;
    let list: Vec<Found> = found
        .iter()
        .map(|payload| {
            let kind = payload.kind();
            match (kind, payload.text()) {
                (PayloadKind::Binary, _) | (_, None) => Found {
                    kind: kind.id(),
                    text: None,
                    bytes: Some(payload.bytes()),
                },
                (_, Some(text)) => Found {
                    kind: kind.id(),
                    text: Some(text),
                    bytes: None,
                },
            }
        })
        .collect();
    to_js(&list)
}

/// `encodeQr(text)`: `{version, size, side, path}` for drawing `text` as a QR code at error
/// correction level M: an `<svg viewBox="0 0 side side">` with a light background and one
/// `<path>` whose `d` attribute is `path` (set with `setAttribute`), filled dark. `side`
/// includes the 4-module quiet zone; `size` does not. Throws an `Error` with `code`
/// `qr.text-too-long` when the text does not fit in one code.
#[wasm_bindgen(js_name = encodeQr)]
pub fn encode_qr(text: &str) -> Result<JsValue, JsValue> {
    let matrix = encode(text).map_err(|e| qr_error(&e))?;
    to_js(&Drawing::from(&matrix))
}
