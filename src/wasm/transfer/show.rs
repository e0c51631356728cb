//! `accountQr` and `googleAuthenticatorCodes`: the QR codes shown for a phone (`crate::qr`'s
//! `account_code` and `google_codes`). The links they hold are built and encoded in
//! WebAssembly; the view gets the drawing only (an SVG path of the dark modules), never the
//! link as text.

use serde::Serialize;
use wasm_bindgen::prelude::*;

use super::super::app::Authenticator;
use super::super::errors::{Coded, js_error};
use super::super::to_js;
use crate::account::AccountId;
use crate::qr::{QrMatrix, account_code, google_codes};
use crate::transfer::ExportEntry;
use crate::transfer::google_migration::Unrepresentable;
use crate::vault::VaultError;

/// A QR code to draw: an `<svg viewBox="0 0 side side">`, a light square, and one `<path>`
/// with `d` set to `path`, filled dark. `side` includes the 4-module quiet zone.
#[derive(Serialize)]
pub(super) struct Drawing {
    version: u8,
    size: usize,
    side: usize,
    path: String,
}

impl From<&QrMatrix> for Drawing {
    fn from(matrix: &QrMatrix) -> Self {
        Self {
            version: matrix.version,
            size: matrix.size,
            side: matrix.side(),
            path: matrix.svg_path(),
        }
    }
}

/// An account left out of the transfer codes: its labels, the reason's `code`
/// (`google-export.steam`, `google-export.period`, `google-export.digits`) and the value
/// its message needs (the period or the digits).
#[derive(Serialize)]
struct Refused<'a> {
    issuer: &'a str,
    account: &'a str,
    code: &'static str,
    values: Vec<String>,
}

/// `{codes: [drawing], refused: [{issuer, account, code, values}]}`.
#[derive(Serialize)]
struct GoogleView<'a> {
    codes: Vec<Drawing>,
    refused: Vec<Refused<'a>>,
}

/// `accountQr(auth, id)`: the account's `otpauth://` link as a QR code to draw
/// (`{version, size, side, path}`, see [`Drawing`]), at error correction level M with a
/// 4-module quiet zone. Throws `vault.locked` while locked, `vault.no-such-account` for an id
/// not stored, `qr.text-too-long` for labels too long for one code.
#[wasm_bindgen(js_name = accountQr)]
pub fn account_qr(auth: &Authenticator, id: &str) -> Result<JsValue, JsValue> {
    let id = AccountId::parse(id).map_err(|e| e.to_js())?;
    let matrix = auth.with_vault(|vault, _| {
        let account = vault
            .get(&id)
            .ok_or_else(|| VaultError::NoSuchAccount.to_js())?;
        account_code(&ExportEntry::from(account)).map_err(|e| js_error(e.code(), None, &e))
    })??;
    to_js(&Drawing::from(&matrix))
}

/// `googleAuthenticatorCodes(auth)`: **Export to Google Authenticator**, every account of the
/// vault as Google Authenticator transfer QR codes (at most 10 accounts each, parts of one
/// batch, part 1 first), and the accounts left out with why. Throws `vault.locked`,
/// `export.empty` without accounts, `crypto.random` or `qr.text-too-long`.
#[wasm_bindgen(js_name = googleAuthenticatorCodes)]
pub fn google_authenticator_codes(auth: &Authenticator) -> Result<JsValue, JsValue> {
    auth.with_vault(|vault, _| {
        let accounts = vault.accounts();
        if accounts.is_empty() {
            return Err(js_error(
                "export.empty",
                None,
                "There are no accounts to export yet.",
            ));
        }
        let entries: Vec<ExportEntry<'_>> = accounts.iter().map(ExportEntry::from).collect();
        let made = google_codes(&entries).map_err(|e| js_error(e.code(), None, &e))?;
        let refused = made
            .refused
            .iter()
            .map(|&(index, reason)| Refused {
                issuer: &accounts[index].issuer,
                account: &accounts[index].name,
                code: reason.code(),
                values: match reason {
                    Unrepresentable::Steam => Vec::new(),
                    Unrepresentable::Period(p) => vec![p.to_string()],
                    Unrepresentable::Digits(d) => vec![d.to_string()],
                },
            })
            .collect();
        to_js(&GoogleView {
            codes: made.codes.iter().map(Drawing::from).collect(),
            refused,
        })
    })?
}
