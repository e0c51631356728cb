//! The import preview as plain data for the page: labels, parameters, marks, and reasons as
//! codes with their values. Never a key, nor a character of one: a key that cannot be read is
//! reported by its error's code alone.

use std::borrow::Cow;

use serde::Serialize;
use wasm_bindgen::JsValue;

use super::super::api::json_to_js;
use crate::account::{AccountError, MAX_LABEL_CHARS};
use crate::coded::Coded;
use crate::transfer::preview::Refusal;
use crate::transfer::{ImportPreview, Row, Skip};
use crate::vault::AccountSummary;

/// Longest label of a skipped entry shown, in characters (the input's own text, unchecked).
const SHOWN_LABEL_CHARS: usize = 80;

/// `{format, importable, rows, batches}`.
#[derive(Serialize)]
struct PreviewView<'a> {
    format: &'static str,
    importable: usize,
    rows: Vec<RowView<'a>>,
    batches: Vec<BatchView<'a>>,
}

/// One row: labels always; parameters and marks when importable, `skip` when not.
#[derive(Serialize)]
struct RowView<'a> {
    issuer: Cow<'a, str>,
    account: Cow<'a, str>,
    #[serde(rename = "type", skip_serializing_if = "Option::is_none")]
    kind: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    algorithm: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    digits: Option<u8>,
    #[serde(skip_serializing_if = "Option::is_none")]
    period: Option<u32>,
    /// The HOTP counter in decimal: exact to 2^64 − 1, where a JS number stops at 2^53.
    #[serde(skip_serializing_if = "Option::is_none")]
    counter: Option<String>,
    duplicate: bool,
    unnamed: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    skip: Option<SkipView>,
}

/// Why a row cannot be imported: `code` (`import.*`, `account.*`), a finer `detail` code when
/// there is one (e.g. `secret.too-short`), and the values its message needs.
#[derive(Serialize)]
struct SkipView {
    code: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    detail: Option<&'static str>,
    values: Vec<String>,
}

/// `{parts, read, missing}`: part numbers from 1, as Google shows them.
#[derive(Serialize)]
struct BatchView<'a> {
    parts: u32,
    read: &'a [u32],
    missing: &'a [u32],
}

/// The preview as a plain JS object, through JSON text (1,000 rows are faster so than as an
/// object per row, as for `accounts()`).
pub fn preview_to_js(preview: &ImportPreview) -> Result<JsValue, JsValue> {
    let rows = preview.rows.iter().map(row_view).collect();
    let batches = preview
        .batches
        .iter()
        .map(|b| BatchView {
            parts: b.parts,
            read: &b.read,
            missing: &b.missing,
        })
        .collect();
    json_to_js(&PreviewView {
        format: preview.format.id(),
        importable: preview.importable(),
        rows,
        batches,
    })
}

fn row_view(row: &Row) -> RowView<'_> {
    match row {
        Row::Ready {
            account,
            duplicate,
            unnamed,
        } => {
            let summary = AccountSummary::new(&account.issuer, &account.name, account.params);
            RowView {
                issuer: Cow::Borrowed(summary.issuer),
                account: Cow::Borrowed(summary.account),
                kind: Some(summary.kind),
                algorithm: Some(summary.algorithm),
                digits: Some(summary.digits),
                period: summary.period,
                // The exact decimal counter: a restored backup's preview shows the counter it
                // will store.
                counter: summary.counter,
                duplicate: *duplicate,
                unnamed: *unnamed,
                skip: None,
            }
        }
        Row::Skipped {
            issuer,
            name,
            reason,
        } => RowView {
            issuer: shown_label(issuer),
            account: shown_label(name),
            kind: None,
            algorithm: None,
            digits: None,
            period: None,
            counter: None,
            duplicate: false,
            unnamed: false,
            skip: Some(skip_view(reason)),
        },
    }
}

/// A label from the input, trimmed and cut to [`SHOWN_LABEL_CHARS`] with `…`.
fn shown_label(label: &str) -> Cow<'_, str> {
    let label = label.trim();
    match label.char_indices().nth(SHOWN_LABEL_CHARS) {
        Some((end, _)) => Cow::Owned(format!("{}…", &label[..end])),
        None => Cow::Borrowed(label),
    }
}

fn skip_view(reason: &Refusal) -> SkipView {
    let (detail, values): (Option<&'static str>, Vec<String>) = match reason {
        Refusal::Entry(skip) => match skip {
            Skip::Algorithm(name) | Skip::Kind(name) => (None, vec![name.clone()]),
            Skip::NoKey => (None, Vec::new()),
            Skip::Key(error) => (Some(error.code()), Vec::new()),
            Skip::Params(error) => (Some(error.code()), vec![params_value(error)]),
            Skip::Field(field) => (None, vec![(*field).to_owned()]),
            Skip::Link(error) => (Some(error.code()), Vec::new()),
            Skip::Damaged(part) => (Some(*part), Vec::new()),
        },
        Refusal::Account(AccountError::LabelTooLong { .. }) => {
            (None, vec![MAX_LABEL_CHARS.to_string()])
        }
        Refusal::Account(_) => (None, Vec::new()),
    };
    SkipView {
        code: reason.code(),
        detail,
        values,
    }
}

fn params_value(error: &crate::otp::ParamsError) -> String {
    match error {
        crate::otp::ParamsError::Digits(value) | crate::otp::ParamsError::Period(value) => {
            value.to_string()
        }
    }
}
