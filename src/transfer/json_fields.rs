//! Small readers shared by the JSON- and link-based formats: typed field access on a
//! `serde_json::Value`, algorithm names, keys, and turning an `otpauth://` link into a candidate.

use serde_json::Value;

// Typed fields are read by `json.rs`, once for every format (this module had its own copies;
// its digits reader turned 300 into 255 and the message said so). `text_or_empty` is that
// module's `label` under the name the formats here use.
pub(crate) use super::json::{digits, label as text_or_empty, period};
use super::{Candidate, Format, ImportedEntry, Skip, SkippedEntry, TransferError};
use crate::otp::{Algorithm, DEFAULT_PERIOD_SECONDS, OtpKind, OtpParams};
use crate::secret::Secret;
use crate::transfer::Damage;
use crate::uri::{UriError, parse_uri};

/// The text of `value[key]`, when it is a string.
pub fn text<'a>(value: &'a Value, key: &str) -> Option<&'a str> {
    value.get(key).and_then(Value::as_str)
}

/// `value[key]` as a whole number (a JSON number, or digits in a string as some apps write
/// them), `default` when missing or null, [`Skip::Field`] when anything else.
pub fn number_or(value: &Value, key: &'static str, default: u64) -> Result<u64, Skip> {
    super::json::opt_u64(value, key).map(|n| n.unwrap_or(default))
}

/// The parameters of one entry as andOTP and FreeOTP+ write them: `type` (TOTP when missing;
/// STEAM too when `steam` is allowed), `period` (30 s when missing) or `counter` (0), `digits`
/// (6) and the algorithm named under `algorithm_key` (SHA1); [`Skip::Kind`] for another type.
pub fn entry_params(
    value: &Value,
    algorithm_key: &'static str,
    steam: bool,
) -> Result<OtpParams, Skip> {
    let kind = text(value, "type").unwrap_or("TOTP");
    let kind = match kind.to_ascii_uppercase().as_str() {
        "TOTP" => OtpKind::Totp {
            period: period(value, "period", DEFAULT_PERIOD_SECONDS)?,
        },
        "HOTP" => OtpKind::Hotp {
            counter: number_or(value, "counter", 0)?,
        },
        "STEAM" if steam => return Ok(steam_params()),
        _ => return Err(Skip::Kind(kind.to_owned())),
    };
    Ok(OtpParams {
        kind,
        algorithm: algorithm_named(text(value, algorithm_key).unwrap_or("SHA1"))?,
        digits: digits(value, "digits", 6)?,
    })
}

/// An algorithm by name (`SHA1`, `sha-256`…), [`Skip::Algorithm`] naming anything else.
pub fn algorithm_named(name: &str) -> Result<Algorithm, Skip> {
    Algorithm::from_name(name.trim()).ok_or_else(|| Skip::Algorithm(name.to_owned()))
}

/// A base32 key as the file has it (padding, spaces and lower case tolerated).
pub fn base32_key(text: Option<&str>) -> Result<Secret, Skip> {
    match text.map(str::trim) {
        None | Some("") => Err(Skip::NoKey),
        Some(text) => Secret::from_base32(text).map_err(Skip::Key),
    }
}

/// A key from raw bytes.
pub fn byte_key(mut bytes: Vec<u8>) -> Result<Secret, Skip> {
    if bytes.is_empty() {
        return Err(Skip::NoKey);
    }
    Secret::from_bytes(&mut bytes).map_err(Skip::Key)
}

/// Steam Guard parameters (the key decides everything else).
pub fn steam_params() -> OtpParams {
    OtpParams {
        kind: OtpKind::Steam,
        ..OtpParams::default()
    }
}

/// Why an `otpauth://` link found in a file cannot be imported, as a [`Skip`].
pub fn uri_skip(error: UriError, field: &'static str) -> Skip {
    match error {
        UriError::UnknownType(kind) => Skip::Kind(kind),
        UriError::MissingSecret => Skip::NoKey,
        UriError::Secret(error) => Skip::Key(error),
        UriError::UnknownAlgorithm(name) => Skip::Algorithm(name),
        UriError::Params(error) => Skip::Params(error),
        UriError::NotOtpauth
        | UriError::TooLong
        | UriError::NotANumber { .. }
        | UriError::MissingCounter
        | UriError::BadEncoding
        | UriError::LabelTooLong => Skip::Field(field),
    }
}

/// A candidate from an `otpauth://` link. When the link cannot be read, the entry is skipped
/// under `fallback_issuer` / `fallback_name` (what the file shows around the link) so a person
/// can recognise it.
pub fn uri_candidate(
    uri: &str,
    field: &'static str,
    fallback_issuer: &str,
    fallback_name: &str,
) -> Candidate {
    match parse_uri(uri) {
        Ok(draft) => Ok(ImportedEntry {
            issuer: draft.issuer,
            name: draft.name,
            params: draft.params,
            secret: draft.secret,
        }),
        Err(error) => Err(SkippedEntry {
            issuer: fallback_issuer.to_owned(),
            name: fallback_name.to_owned(),
            reason: uri_skip(error, field),
        }),
    }
}

/// [`TransferError::Damaged`] with what is wrong.
pub fn damaged(format: Format, detail: Damage) -> TransferError {
    TransferError::Damaged { format, detail }
}

/// [`TransferError::Empty`] when `entries` is empty, else the entries.
pub fn non_empty(format: Format, entries: Vec<Candidate>) -> Result<Vec<Candidate>, TransferError> {
    if entries.is_empty() {
        Err(TransferError::Empty { format })
    } else {
        Ok(entries)
    }
}

/// Parses decrypted bytes as JSON, or says the file is damaged (a verified password that yields
/// something other than JSON means the content is broken).
pub fn json_from_bytes(format: Format, bytes: &[u8]) -> Result<Value, TransferError> {
    serde_json::from_slice(bytes).map_err(|_| damaged(format, Damage::Contents))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn numbers_may_be_strings() {
        let v = json!({"a": 7, "b": "8", "c": "x", "d": null, "e": -1});
        assert_eq!(number_or(&v, "a", 0), Ok(7));
        assert_eq!(number_or(&v, "b", 0), Ok(8));
        assert_eq!(number_or(&v, "c", 0), Err(Skip::Field("c")));
        assert_eq!(number_or(&v, "d", 5), Ok(5));
        assert_eq!(number_or(&v, "e", 0), Err(Skip::Field("e")));
        assert_eq!(number_or(&v, "z", 5), Ok(5));
        // Past the type's range, the value the file has is named, not 255 or u32::MAX.
        assert_eq!(
            digits(&json!({"d": 300}), "d", 6),
            Err(Skip::Params(crate::otp::ParamsError::Digits(300)))
        );
        assert_eq!(
            period(&json!({"p": 5_000_000_000_u64}), "p", 30),
            Err(Skip::Params(crate::otp::ParamsError::Period(5_000_000_000)))
        );
    }

    #[test]
    fn unreadable_links_keep_the_labels_around_them() {
        let skipped =
            uri_candidate("otpauth://totp/x?secret=AB1", "totp", "Item", "bob").unwrap_err();
        assert_eq!(
            (skipped.issuer.as_str(), skipped.name.as_str()),
            ("Item", "bob")
        );
        assert_eq!(skipped.reason.code(), "import.key");
        let md5 = uri_candidate(
            "otpauth://totp/x?secret=JBSWY3DPEHPK3PXP&algorithm=MD5",
            "totp",
            "",
            "",
        );
        assert_eq!(md5.unwrap_err().reason, Skip::Algorithm("MD5".into()));
    }
}
