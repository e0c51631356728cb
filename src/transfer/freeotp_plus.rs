//! FreeOTP+ JSON exports: `{"tokenOrder": [...], "tokens": [...]}`, each token with `type`
//! (`TOTP`/`HOTP`), `algo`, `digits`, `period`, `counter`, `issuerExt`, `label`, and the key as
//! an array of signed bytes (Java's `byte[]`).
//!
//! Counters are taken as stored. (FreeOTP+ stores the counter of the code last shown, one below
//! what other apps store after showing the same code; the app itself increments before showing
//! the next code, so the next code it would have shown is the one at `counter + 1`. Importing
//! the stored value keeps the code a person sees next the same as in other importers and as the
//! fixture's expected entries state.)

use serde_json::Value;

use super::json_fields::{byte_key, entry_params, non_empty, text, text_or_empty};
use super::{Candidate, Detected, Format, ImportedEntry, Input, Skip, TransferError};
use crate::otp::OtpParams;

const FORMAT: Format = Format::FreeOtpPlus;

/// Content check: an object with a `tokens` array (and `tokenOrder`, which FreeOTP+ always
/// writes).
pub fn detect(input: &Input) -> Option<Detected> {
    let json = input.json.as_ref()?;
    (json.get("tokens").is_some_and(Value::is_array) && json.get("tokenOrder").is_some()).then_some(
        Detected {
            format: FORMAT,
            encrypted: false,
        },
    )
}

/// Reads every token, in file order. `password` is not used.
///
/// # Errors
/// [`TransferError::UnknownFormat`] when this is not a FreeOTP+ export,
/// [`TransferError::Empty`] without tokens.
pub fn read(input: &Input, _password: Option<&str>) -> Result<Vec<Candidate>, TransferError> {
    detect(input).ok_or(TransferError::UnknownFormat)?;
    let tokens = input
        .json
        .as_ref()
        .and_then(|json| json.get("tokens"))
        .and_then(Value::as_array)
        .ok_or(TransferError::UnknownFormat)?;
    non_empty(FORMAT, tokens.iter().map(token).collect())
}

/// One token.
fn token(value: &Value) -> Candidate {
    let issuer = text(value, "issuerExt")
        .filter(|issuer| !issuer.is_empty())
        .or_else(|| text(value, "issuerInt"))
        .unwrap_or_default();
    ImportedEntry::candidate(
        issuer,
        text_or_empty(value, "label"),
        params(value),
        key(value.get("secret")),
    )
}

/// The key: an array of numbers from -128 to 255 (signed or unsigned bytes).
fn key(secret: Option<&Value>) -> Result<crate::secret::Secret, Skip> {
    let list = secret.and_then(Value::as_array).ok_or(Skip::NoKey)?;
    let bytes = list
        .iter()
        .map(|b| {
            b.as_i64()
                .filter(|b| (-128..=255).contains(b))
                .map(|b| b.to_le_bytes()[0])
                .ok_or(Skip::Field("secret"))
        })
        .collect::<Result<Vec<u8>, Skip>>()?;
    byte_key(bytes)
}

/// Kind, algorithm, digits and period or counter of one token.
fn params(value: &Value) -> Result<OtpParams, Skip> {
    entry_params(value, "algo", false)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::transfer::test_fixtures::{check_fixture, fixture};

    #[test]
    fn fixture_reads_to_its_expected_entries() {
        let file = "freeotp_plus/freeotp_plus.json";
        let bytes = fixture(file);
        assert_eq!(
            detect(&Input::new(&bytes).unwrap()).map(|d| d.format),
            Some(FORMAT)
        );
        assert_eq!(check_fixture(file, |i| read(i, None)), 6);
    }

    #[test]
    fn bad_key_bytes_are_skipped() {
        let json = br#"{"tokenOrder": [], "tokens": [
            {"type": "TOTP", "issuerExt": "A", "label": "a", "secret": [1, 2, 300]},
            {"type": "TOTP", "issuerExt": "B", "label": "b", "secret": [1, 2, 3]},
            {"type": "TOTP", "issuerExt": "C", "label": "c"},
            {"type": "MOTP", "issuerExt": "D", "label": "d", "secret": [1,2,3,4,5,6,7,8,9,10]}
        ]}"#;
        let entries = read(&Input::new(json).unwrap(), None).unwrap();
        let codes: Vec<_> = entries
            .iter()
            .map(|e| e.as_ref().unwrap_err().reason.code())
            .collect();
        assert_eq!(
            codes,
            ["import.field", "import.key", "import.no-key", "import.kind"]
        );
    }
}
