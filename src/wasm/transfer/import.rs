//! `Importer`: the Import page's handle on what a file, a pasted text or an image held.
//!
//! The entries read (their keys) stay in WebAssembly memory; the page gets only a preview
//! (`import_view`): labels, parameters, the "already in your list" mark, skip reasons as codes
//! with their values, and Google batch status. `import(rows)` stores the chosen rows through the
//! popup's locked read → change → write path ([`Authenticator::import_accounts`]). Cancel is
//! dropping the handle (`free()`), which zeroises every key it held.

use js_sys::{Array, Promise, Reflect};
use wasm_bindgen::prelude::*;
use zeroize::Zeroizing;

use super::super::app::Authenticator;
use super::super::errors::js_error;
use super::import_view::{error_values, preview_to_js};
use crate::qr::{PayloadKind, decode_rgba};
use crate::transfer::{self, Format, ImportPreview, TransferError};

/// What the Import page is looking at: the last input read, and its preview.
#[wasm_bindgen]
pub struct Importer {
    /// The name given to entries with neither issuer nor name (the page's own words).
    unnamed: String,
    /// The last input that asked for a password, so that **Open** reads it again.
    pending: Option<Zeroizing<Vec<u8>>>,
    /// The links read from images so far, in order: each image adds its codes and all are read
    /// again, so the parts of a Google Authenticator batch add up across screenshots.
    scanned: Vec<Zeroizing<String>>,
    /// The entries of the last input read, with the preview's marks.
    preview: Option<ImportPreview>,
}

/// A transfer error as a JS `Error` with its `code`, the `format` recognised (if any) and the
/// `values` its message needs.
fn transfer_error(error: &TransferError) -> JsValue {
    let js = js_error(error.code(), None, error);
    let values: Array = error_values(error).into_iter().map(JsValue::from).collect();
    // Setting properties on a fresh Error object cannot fail.
    let _ = Reflect::set(&js, &"values".into(), &values);
    if let Some(format) = error.format() {
        let _ = Reflect::set(&js, &"format".into(), &format.id().into());
    }
    js
}

#[wasm_bindgen]
impl Importer {
    /// A handle with nothing read yet. `unnamed_label` names entries that have neither issuer
    /// nor name (e.g. "Unnamed account" in the page's language); they are stored so.
    #[wasm_bindgen(constructor)]
    pub fn new(unnamed_label: String) -> Importer {
        Self {
            unnamed: unnamed_label,
            pending: None,
            scanned: Vec::new(),
            preview: None,
        }
    }

    /// Reads a file's bytes, or text pasted into **Text to import** (as UTF-8 bytes). The
    /// format comes from the content. Returns the preview (see README, "JS API"); throws an
    /// `Error` with `code` (`transfer.password-needed`: call `open(password)`;
    /// `transfer.unknown-format`, `transfer.damaged`, …), `format` and `values`. Forgets any
    /// earlier input.
    pub fn read(&mut self, auth: &Authenticator, bytes: &[u8]) -> Result<JsValue, JsValue> {
        self.forget();
        match transfer::read(bytes, None) {
            Err(error @ TransferError::PasswordNeeded { .. }) => {
                self.pending = Some(Zeroizing::new(bytes.to_vec()));
                Err(transfer_error(&error))
            }
            result => self.show(auth, result),
        }
    }

    /// Reads the encrypted input again with its password. A wrong password throws
    /// `transfer.wrong-password` and keeps the input, so the person can try again.
    pub fn open(&mut self, auth: &Authenticator, password: String) -> Result<JsValue, JsValue> {
        let password = Zeroizing::new(password);
        let Some(bytes) = &self.pending else {
            return Err(js_error(
                "import.nothing-to-open",
                None,
                "Choose an encrypted file first.",
            ));
        };
        let result = transfer::read(bytes, Some(&password));
        if result.is_ok() {
            self.pending = None;
        }
        self.show(auth, result)
    }

    /// Reads the QR codes of a picture (an `ImageData`'s RGBA pixels at the image's own
    /// resolution) and previews their links together with those of earlier pictures. Throws
    /// `import.no-qr` when the picture holds no QR code, `import.not-authenticator` when its
    /// codes are not authenticator links, or a `qr.*` code for a picture too large.
    #[wasm_bindgen(js_name = readImage)]
    pub fn read_image(
        &mut self,
        auth: &Authenticator,
        width: u32,
        height: u32,
        rgba: &[u8],
    ) -> Result<JsValue, JsValue> {
        let found = decode_rgba(width as usize, height as usize, rgba)
            .map_err(|e| js_error(e.code(), None, e))?;
        if found.is_empty() {
            return Err(js_error(
                "import.no-qr",
                None,
                "No QR code was found in this image.",
            ));
        }
        let links: Vec<&str> = found
            .iter()
            .filter(|code| matches!(code.kind(), PayloadKind::Otpauth | PayloadKind::Migration))
            .filter_map(|code| code.text())
            .collect();
        if links.is_empty() {
            return Err(not_authenticator());
        }
        self.add_scanned(auth, links)
    }

    /// Adds links scanned elsewhere (the popup's **Scan QR code** hands them over) to those read
    /// from pictures so far, and previews them all, like [`Importer::read_image`]: the parts of
    /// a Google Authenticator batch add up across scans. Throws `import.not-authenticator` when
    /// none is an `otpauth://` or `otpauth-migration://` link.
    #[wasm_bindgen(js_name = readScanned)]
    pub fn read_scanned(
        &mut self,
        auth: &Authenticator,
        links: Vec<String>,
    ) -> Result<JsValue, JsValue> {
        let links: Vec<Zeroizing<String>> = links.into_iter().map(Zeroizing::new).collect();
        let ours: Vec<&str> = links
            .iter()
            .map(|link| link.trim())
            .filter(|link| {
                matches!(
                    crate::qr::Payload::new(link.as_bytes().to_vec()).kind(),
                    PayloadKind::Otpauth | PayloadKind::Migration
                )
            })
            .collect();
        if ours.is_empty() {
            return Err(not_authenticator());
        }
        self.add_scanned(auth, ours)
    }

    /// Stores the chosen rows (0-based indices into the preview's `rows`) in one vault write.
    /// Resolves to how many accounts were added (identical accounts already stored are left
    /// out); rejects, storing nothing, for a row that cannot be imported, a locked or damaged
    /// vault, or a storage failure.
    pub fn import(&self, auth: &Authenticator, rows: Vec<u32>) -> Promise {
        let Some(preview) = &self.preview else {
            return Promise::reject(&js_error(
                "import.nothing-to-import",
                None,
                "Choose a file, paste links or an image first.",
            ));
        };
        let rows: Vec<usize> = rows.into_iter().map(|row| row as usize).collect();
        match preview.chosen(&rows) {
            Ok(accounts) => auth.import_accounts(accounts),
            Err(error) => Promise::reject(&js_error(error.code(), None, &error)),
        }
    }

    /// Forgets the input read so far (its keys are zeroised), as Cancel does.
    pub fn forget(&mut self) {
        self.pending = None;
        self.scanned.clear();
        self.preview = None;
    }
}

impl Importer {
    /// Adds `links` (each once) to the links scanned so far and previews them all.
    fn add_scanned(&mut self, auth: &Authenticator, links: Vec<&str>) -> Result<JsValue, JsValue> {
        self.pending = None;
        for link in links {
            if !self.scanned.iter().any(|known| known.as_str() == link) {
                self.scanned.push(Zeroizing::new(link.to_owned()));
            }
        }
        let text = Zeroizing::new(
            self.scanned
                .iter()
                .map(|link| link.as_str())
                .collect::<Vec<_>>()
                .join("\n"),
        );
        let result = transfer::read(text.as_bytes(), None);
        self.show(auth, result)
    }

    /// Keeps a successful read for `import` and returns its preview; passes errors on.
    fn show(
        &mut self,
        auth: &Authenticator,
        result: Result<transfer::Import, TransferError>,
    ) -> Result<JsValue, JsValue> {
        let import = result.map_err(|e| transfer_error(&e))?;
        let preview =
            auth.with_accounts(|stored| ImportPreview::new(import, stored, &self.unnamed))?;
        let shown = preview_to_js(&preview)?;
        self.preview = Some(preview);
        Ok(shown)
    }
}

/// The codes read are not authenticator links.
fn not_authenticator() -> JsValue {
    js_error(
        "import.not-authenticator",
        None,
        "The QR code in this image is not an authenticator link.",
    )
}

/// `importFormats()`: the ids of the formats the Import page reads, in the order they are
/// listed to a person (e.g. in the message for an unknown format).
#[wasm_bindgen(js_name = importFormats)]
pub fn import_formats() -> Vec<String> {
    Format::ALL.iter().map(|f| f.id().to_owned()).collect()
}
