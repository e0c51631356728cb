//! Reading other apps' JSON one field at a time, leniently: a field of the wrong type spoils
//! only its own entry (a [`Skip`]), never the whole file.

use serde_json::Value;
use zeroize::Zeroize;

use super::Skip;
use crate::otp::{Algorithm, ParamsError};

/// A JSON document that holds keys in the clear (decrypted contents): every string in it is
/// zeroised when it is dropped.
pub(crate) struct Scrubbed(pub(crate) Value);

impl Scrubbed {
    /// Parses decrypted bytes; `None` when they are not JSON.
    pub(crate) fn parse(bytes: &[u8]) -> Option<Self> {
        serde_json::from_slice(bytes).ok().map(Self)
    }
}

impl Drop for Scrubbed {
    fn drop(&mut self) {
        scrub(&mut self.0);
    }
}

/// Zeroises every string in `value`. Depth is bounded by serde_json's recursion limit (128).
fn scrub(value: &mut Value) {
    match value {
        Value::String(text) => text.zeroize(),
        Value::Array(items) => items.iter_mut().for_each(scrub),
        Value::Object(map) => map.values_mut().for_each(scrub),
        Value::Null | Value::Bool(_) | Value::Number(_) => {}
    }
}

/// A text field: `Ok(None)` when missing or null, [`Skip::Field`] when not a string.
pub(crate) fn opt_str<'a>(object: &'a Value, field: &'static str) -> Result<Option<&'a str>, Skip> {
    match object.get(field) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(text)) => Ok(Some(text)),
        Some(_) => Err(Skip::Field(field)),
    }
}

/// A whole-number field: `Ok(None)` when missing or null, [`Skip::Field`] when not a
/// non-negative integer (a number written as text, as some apps do, is accepted).
pub(crate) fn opt_u64(object: &Value, field: &'static str) -> Result<Option<u64>, Skip> {
    match object.get(field) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Number(number)) => number.as_u64().map(Some).ok_or(Skip::Field(field)),
        Some(Value::String(text)) => text
            .trim()
            .parse()
            .map(Some)
            .map_err(|_| Skip::Field(field)),
        Some(_) => Err(Skip::Field(field)),
    }
}

/// A label field (issuer, name): the text, or empty when missing, null or not text.
pub(crate) fn label(object: &Value, field: &str) -> String {
    object
        .get(field)
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_owned()
}

/// The algorithm named by `field`, SHA1 when missing.
pub(crate) fn algorithm(object: &Value, field: &'static str) -> Result<Algorithm, Skip> {
    match opt_str(object, field)? {
        None => Ok(Algorithm::Sha1),
        Some(name) => Algorithm::from_name(name).ok_or_else(|| Skip::algorithm(name)),
    }
}

/// The number of digits in `field`, `default` when missing.
pub(crate) fn digits(object: &Value, field: &'static str, default: u8) -> Result<u8, Skip> {
    match opt_u64(object, field)? {
        None => Ok(default),
        Some(n) => u8::try_from(n).map_err(|_| Skip::Params(ParamsError::Digits(n))),
    }
}

/// The period in seconds in `field`, `default` when missing.
pub(crate) fn period(object: &Value, field: &'static str, default: u32) -> Result<u32, Skip> {
    match opt_u64(object, field)? {
        None => Ok(default),
        Some(n) => u32::try_from(n).map_err(|_| Skip::Params(ParamsError::Period(n))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn fields_are_read_leniently() {
        let entry = json!({"digits": 8, "period": "60", "algo": "sha256", "name": 5, "bad": []});
        assert_eq!(digits(&entry, "digits", 6), Ok(8));
        assert_eq!(digits(&entry, "missing", 6), Ok(6));
        assert_eq!(period(&entry, "period", 30), Ok(60));
        assert_eq!(algorithm(&entry, "algo"), Ok(Algorithm::Sha256));
        assert_eq!(algorithm(&entry, "none"), Ok(Algorithm::Sha1));
        assert_eq!(label(&entry, "name"), "");
        assert_eq!(opt_u64(&entry, "bad"), Err(Skip::Field("bad")));
        assert_eq!(opt_str(&entry, "digits"), Err(Skip::Field("digits")));
    }

    #[test]
    fn out_of_range_numbers_are_parameter_errors() {
        let entry = json!({"digits": 300, "period": 5_000_000_000_u64, "algo": "MD5"});
        assert_eq!(
            digits(&entry, "digits", 6),
            Err(Skip::Params(ParamsError::Digits(300)))
        );
        assert_eq!(
            period(&entry, "period", 30),
            Err(Skip::Params(ParamsError::Period(5_000_000_000)))
        );
        assert_eq!(
            algorithm(&entry, "algo"),
            Err(Skip::Algorithm("MD5".into()))
        );
    }

    #[test]
    fn scrubbed_documents_parse() {
        let doc = Scrubbed::parse(br#"{"secret": "JBSWY3DPEHPK3PXP", "n": [1, "x"]}"#).unwrap();
        assert_eq!(doc.0["secret"], "JBSWY3DPEHPK3PXP");
        let mut value = doc.0.clone();
        scrub(&mut value);
        assert_eq!(value["secret"], "");
        assert_eq!(value["n"], json!([1, ""]));
        assert!(Scrubbed::parse(b"not json").is_none());
    }
}
