//! `otpauth://` URIs (Google's Key Uri Format): parsing what QR codes and sites hand out, and
//! formatting accounts back.
//!
//! ```
//! use toolbar_authenticator::uri::{format_uri, parse_uri};
//! let draft = parse_uri("otpauth://totp/Example:alice%40example.com?secret=JBSWY3DPEHPK3PXP&issuer=Example").unwrap();
//! assert_eq!((draft.issuer.as_str(), draft.name.as_str()), ("Example", "alice@example.com"));
//! let again = parse_uri(&format_uri(&draft)).unwrap();
//! assert_eq!(again, draft);
//! ```

use std::fmt;

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, percent_decode_str, utf8_percent_encode};

use crate::account::{AccountDraft, MAX_LABEL_CHARS, clean_label};
use crate::coded::{Coded, MessageValue};
use crate::otp::{Algorithm, DEFAULT_PERIOD_SECONDS, OtpKind, OtpParams, ParamsError};
use crate::secret::{Secret, SecretError};

/// Characters left as they are when formatting: RFC 3986 unreserved.
const COMPONENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// Longest URI accepted, in bytes: room for the longest labels an account may have, fully
/// percent-encoded, written twice (label and `issuer`), plus the longest key.
pub const MAX_URI_BYTES: usize = 16 * 1024;

/// Why a URI was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UriError {
    /// Does not start with `otpauth://`.
    NotOtpauth,
    /// Longer than [`MAX_URI_BYTES`].
    TooLong,
    /// The type after `otpauth://` is not totp, hotp or steam.
    UnknownType(String),
    /// No `secret` parameter.
    MissingSecret,
    /// The `secret` parameter is not a valid key.
    Secret(SecretError),
    /// The `algorithm` parameter is not SHA1, SHA256 or SHA512.
    UnknownAlgorithm(String),
    /// `digits`, `period` or `counter` is not a whole number.
    NotANumber {
        /// Parameter name.
        parameter: &'static str,
        /// What was given.
        value: String,
    },
    /// Digits or period out of range.
    Params(ParamsError),
    /// An `hotp` URI without a `counter`.
    MissingCounter,
    /// Percent-encoding that does not decode to UTF-8 text.
    BadEncoding,
    /// An issuer or account name longer than [`MAX_LABEL_CHARS`].
    LabelTooLong,
}

impl fmt::Display for UriError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::NotOtpauth => f.write_str("This is not an otpauth:// link; paste the key itself or the whole otpauth:// link."),
            Self::TooLong => write!(f, "The link is longer than {MAX_URI_BYTES} characters."),
            Self::UnknownType(kind) => write!(
                f,
                "The link's type '{}' is not supported; use totp, hotp or steam.",
                shorten(kind)
            ),
            Self::MissingSecret => f.write_str("The link has no secret parameter, so it contains no key."),
            Self::Secret(error) => write!(f, "The link's secret is not valid: {error}"),
            Self::UnknownAlgorithm(name) => write!(
                f,
                "The link's algorithm '{}' is not supported; use SHA1, SHA256 or SHA512.",
                shorten(name)
            ),
            Self::NotANumber { parameter, value } => write!(
                f,
                "The link's {parameter} '{}' is not a whole number.",
                shorten(value)
            ),
            Self::Params(error) => write!(f, "The link is not usable: {error}"),
            Self::MissingCounter => f.write_str("The hotp link has no counter parameter; hotp needs one."),
            Self::BadEncoding => f.write_str("The link contains percent-encoding that is not valid UTF-8 text."),
            Self::LabelTooLong => write!(
                f,
                "The link's issuer or account name is longer than {MAX_LABEL_CHARS} characters."
            ),
        }
    }
}

impl std::error::Error for UriError {}

impl Coded for UriError {
    fn code(&self) -> &'static str {
        match self {
            Self::NotOtpauth => "uri.not-otpauth",
            Self::TooLong => "uri.too-long",
            Self::UnknownType(_) => "uri.type",
            Self::MissingSecret => "uri.missing-secret",
            Self::Secret(_) => "uri.secret",
            Self::UnknownAlgorithm(_) => "uri.algorithm",
            Self::NotANumber { .. } => "uri.number",
            Self::Params(_) => "uri.params",
            Self::MissingCounter => "uri.missing-counter",
            Self::BadEncoding => "uri.encoding",
            Self::LabelTooLong => "uri.label-too-long",
        }
    }

    fn field(&self) -> Option<&'static str> {
        Some("secret")
    }

    /// What the link said (at most 40 characters of it; never its secret), or a limit.
    fn values(&self) -> Vec<MessageValue> {
        match self {
            Self::TooLong => vec![MessageValue::number(MAX_URI_BYTES)],
            Self::UnknownType(text) | Self::UnknownAlgorithm(text) => {
                vec![MessageValue::Text(shorten(text))]
            }
            Self::NotANumber { parameter, value } => vec![
                MessageValue::text(*parameter),
                MessageValue::Text(shorten(value)),
            ],
            Self::LabelTooLong => vec![MessageValue::number(MAX_LABEL_CHARS)],
            _ => Vec::new(),
        }
    }

    fn cause(&self) -> Option<&dyn Coded> {
        match self {
            Self::Secret(error) => Some(error),
            Self::Params(error) => Some(error),
            _ => None,
        }
    }
}

/// Shows at most 40 characters of user input in a message.
fn shorten(text: &str) -> String {
    let mut short: String = text.chars().take(40).collect();
    if short.len() < text.len() {
        short.push('…');
    }
    short
}

/// Parameters as found in the query, before interpretation.
#[derive(Default)]
struct RawParams {
    secret: Option<String>,
    issuer: Option<String>,
    algorithm: Option<String>,
    digits: Option<String>,
    period: Option<String>,
    counter: Option<String>,
    encoder: Option<String>,
}

/// Parses an `otpauth://` URI into an account draft.
///
/// Accepts `totp`, `hotp` and `steam` types, labels `Issuer:Account` (percent-decoded, `%3A`
/// allowed as the separator, spaces around it trimmed, bidirectional, invisible and control
/// characters removed by [`clean_label`]), and the parameters `secret`, `issuer`,
/// `algorithm`, `digits`, `period`, `counter` and `encoder=steam`, names in any case. The
/// `issuer` parameter wins over the label prefix. Unknown parameters are ignored.
///
/// # Errors
/// [`UriError`] says which part is wrong.
pub fn parse_uri(uri: &str) -> Result<AccountDraft, UriError> {
    let uri = uri.trim();
    if uri.len() > MAX_URI_BYTES {
        return Err(UriError::TooLong);
    }
    let rest = strip_prefix_ignore_case(uri, "otpauth://").ok_or(UriError::NotOtpauth)?;
    let (before_query, query) = rest.split_once('?').unwrap_or((rest, ""));
    let query = query.split_once('#').map_or(query, |(q, _)| q);
    let (kind_text, label) = before_query.split_once('/').unwrap_or((before_query, ""));
    let raw = read_params(query)?;
    let (issuer, name) = labels(label, &raw)?;
    if issuer.chars().count() > MAX_LABEL_CHARS || name.chars().count() > MAX_LABEL_CHARS {
        return Err(UriError::LabelTooLong);
    }

    let algorithm = match &raw.algorithm {
        None => Algorithm::Sha1,
        Some(name) => {
            Algorithm::from_name(name).ok_or_else(|| UriError::UnknownAlgorithm(name.clone()))?
        }
    };
    let digits = match &raw.digits {
        None => 6,
        Some(value) => {
            let digits = number("digits", value)?;
            u8::try_from(digits).map_err(|_| UriError::Params(ParamsError::Digits(digits)))?
        }
    };
    let steam_encoder = raw
        .encoder
        .as_deref()
        .is_some_and(|e| e.eq_ignore_ascii_case("steam"));
    let kind = match kind_text.to_ascii_lowercase().as_str() {
        "totp" if steam_encoder => OtpKind::Steam,
        "steam" => OtpKind::Steam,
        "totp" => OtpKind::Totp {
            period: match &raw.period {
                None => DEFAULT_PERIOD_SECONDS,
                Some(value) => {
                    let period = number("period", value)?;
                    u32::try_from(period)
                        .map_err(|_| UriError::Params(ParamsError::Period(period)))?
                }
            },
        },
        "hotp" => OtpKind::Hotp {
            counter: number(
                "counter",
                raw.counter.as_deref().ok_or(UriError::MissingCounter)?,
            )?,
        },
        _ => return Err(UriError::UnknownType(kind_text.to_owned())),
    };
    let params = OtpParams {
        kind,
        algorithm,
        digits,
    }
    .validated()
    .map_err(UriError::Params)?;

    let secret_text = raw.secret.ok_or(UriError::MissingSecret)?;
    let secret = Secret::from_base32(&secret_text).map_err(UriError::Secret)?;
    Ok(AccountDraft {
        issuer,
        name,
        params,
        secret,
    })
}

/// The issuer and account name of an `otpauth://` link that [`parse_uri`] may refuse for
/// another reason (no key, an unknown algorithm…), so a list of links can say which one it could
/// not read. `None` when not even the labels can be read.
///
/// Only with the `transfer` feature: a second caller of `parse_uri`'s helpers changes how they
/// are inlined into the popup's module.
#[cfg(feature = "transfer")]
pub fn uri_labels(uri: &str) -> Option<(String, String)> {
    let rest = strip_prefix_ignore_case(uri.trim(), "otpauth://")?;
    if rest.len() > MAX_URI_BYTES {
        return None;
    }
    let (before_query, query) = rest.split_once('?').unwrap_or((rest, ""));
    let query = query.split_once('#').map_or(query, |(q, _)| q);
    let (_, label) = before_query.split_once('/')?;
    let (issuer, name) = labels(label, &read_params(query).ok()?).ok()?;
    Some((cut(issuer), cut(name)))
}

/// At most [`MAX_LABEL_CHARS`] characters.
#[cfg(feature = "transfer")]
fn cut(text: String) -> String {
    if text.chars().count() <= MAX_LABEL_CHARS {
        return text;
    }
    text.chars().take(MAX_LABEL_CHARS).collect()
}

/// Issuer and account name from the (still encoded) label and the parameters.
fn labels(label: &str, raw: &RawParams) -> Result<(String, String), UriError> {
    let label = decode(label, false)?;
    let issuer_param = raw.issuer.as_deref().filter(|issuer| !issuer.is_empty());
    Ok(split_label(&label, issuer_param))
}

/// Formats an account as an `otpauth://` URI that [`parse_uri`] reads back to the same draft.
///
/// The label is always `Issuer:Name` (a leading `:` when there is no issuer, so a name containing
/// `:` survives), and `issuer`, `algorithm`, `digits` and `period`/`counter` are always written.
/// Steam accounts are written as `totp` with `encoder=steam`, which other apps also read.
pub fn format_uri(draft: &AccountDraft) -> String {
    let label = format!(
        "{}:{}",
        utf8_percent_encode(&draft.issuer, COMPONENT),
        utf8_percent_encode(&draft.name, COMPONENT)
    );
    let secret = draft.secret.to_base32();
    let mut uri = String::with_capacity(96 + label.len() + secret.len());
    let kind = match draft.params.kind {
        OtpKind::Hotp { .. } => "hotp",
        OtpKind::Totp { .. } | OtpKind::Steam => "totp",
    };
    uri.push_str("otpauth://");
    uri.push_str(kind);
    uri.push('/');
    uri.push_str(&label);
    uri.push_str("?secret=");
    uri.push_str(&secret);
    if !draft.issuer.is_empty() {
        uri.push_str("&issuer=");
        uri.extend(utf8_percent_encode(&draft.issuer, COMPONENT));
    }
    uri.push_str("&algorithm=");
    uri.push_str(draft.params.algorithm.name());
    uri.push_str("&digits=");
    uri.push_str(&draft.params.digits.to_string());
    match draft.params.kind {
        OtpKind::Totp { period } => {
            uri.push_str("&period=");
            uri.push_str(&period.to_string());
        }
        OtpKind::Hotp { counter } => {
            uri.push_str("&counter=");
            uri.push_str(&counter.to_string());
        }
        OtpKind::Steam => uri.push_str("&period=30&encoder=steam"),
    }
    uri
}

/// `text` without `prefix`, compared ignoring ASCII case.
pub(crate) fn strip_prefix_ignore_case<'a>(text: &'a str, prefix: &str) -> Option<&'a str> {
    let head = text.get(..prefix.len())?;
    head.eq_ignore_ascii_case(prefix)
        .then(|| text.get(prefix.len()..))
        .flatten()
}

/// Reads the query; the first occurrence of a parameter wins.
fn read_params(query: &str) -> Result<RawParams, UriError> {
    let mut raw = RawParams::default();
    for pair in query.split('&').filter(|p| !p.is_empty()) {
        let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
        let slot = match key.to_ascii_lowercase().as_str() {
            "secret" => &mut raw.secret,
            "issuer" => &mut raw.issuer,
            "algorithm" => &mut raw.algorithm,
            "digits" => &mut raw.digits,
            "period" => &mut raw.period,
            "counter" => &mut raw.counter,
            "encoder" => &mut raw.encoder,
            _ => continue,
        };
        if slot.is_none() {
            *slot = Some(decode(value, true)?.trim().to_owned());
        }
    }
    Ok(raw)
}

/// Percent-decodes to UTF-8; in query values `+` means a space, as browsers encode forms.
fn decode(text: &str, plus_is_space: bool) -> Result<String, UriError> {
    let replaced;
    let text = if plus_is_space && text.contains('+') {
        replaced = text.replace('+', " ");
        &replaced
    } else {
        text
    };
    percent_decode_str(text)
        .decode_utf8()
        .map(|s| s.into_owned())
        .map_err(|_| UriError::BadEncoding)
}

/// Splits a decoded label into issuer and name, each cleaned ([`clean_label`]); the issuer
/// parameter wins when present.
fn split_label(label: &str, issuer_param: Option<&str>) -> (String, String) {
    if let Some(issuer) = issuer_param {
        let name = label
            .strip_prefix(issuer)
            .and_then(|rest| rest.trim_start().strip_prefix(':'))
            .or_else(|| label.split_once(':').map(|(_, name)| name))
            .unwrap_or(label);
        return (clean_label(issuer), clean_label(name));
    }
    match label.split_once(':') {
        Some((issuer, name)) => (clean_label(issuer), clean_label(name)),
        None => (String::new(), clean_label(label)),
    }
}

fn number(parameter: &'static str, value: &str) -> Result<u64, UriError> {
    value.parse().map_err(|_| UriError::NotANumber {
        parameter,
        value: value.to_owned(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const KEY: &str = "JBSWY3DPEHPK3PXP";

    fn parse(uri: &str) -> AccountDraft {
        parse_uri(uri).unwrap()
    }

    #[test]
    fn google_example() {
        let d =
            parse("otpauth://totp/Example:alice@google.com?secret=JBSWY3DPEHPK3PXP&issuer=Example");
        assert_eq!(d.issuer, "Example");
        assert_eq!(d.name, "alice@google.com");
        assert_eq!(d.params, OtpParams::default());
        assert_eq!(d.secret, Secret::from_base32(KEY).unwrap());
    }

    #[test]
    fn label_decoding_and_trimming() {
        let d = parse("otpauth://totp/ACME%20Co%3A%20john.doe%40email.com?secret=JBSWY3DPEHPK3PXP");
        assert_eq!(
            (d.issuer.as_str(), d.name.as_str()),
            ("ACME Co", "john.doe@email.com")
        );
        let d = parse("otpauth://totp/Caf%C3%A9:z%C3%B6e?secret=JBSWY3DPEHPK3PXP");
        assert_eq!((d.issuer.as_str(), d.name.as_str()), ("Café", "zöe"));
        let d = parse("otpauth://totp/justname?secret=JBSWY3DPEHPK3PXP");
        assert_eq!((d.issuer.as_str(), d.name.as_str()), ("", "justname"));
    }

    #[test]
    fn issuer_parameter_wins() {
        let d = parse("otpauth://totp/Old:bob?secret=JBSWY3DPEHPK3PXP&issuer=New");
        assert_eq!((d.issuer.as_str(), d.name.as_str()), ("New", "bob"));
        let d = parse("otpauth://totp/bob?secret=JBSWY3DPEHPK3PXP&issuer=New+Co");
        assert_eq!((d.issuer.as_str(), d.name.as_str()), ("New Co", "bob"));
    }

    #[test]
    fn parameter_names_any_case_unknown_ignored() {
        let d = parse(
            "OTPAUTH://TOTP/x:y?SECRET=jbswy3dpehpk3pxp&Algorithm=sha256&DIGITS=8&Period=60&image=https%3A%2F%2Fx",
        );
        assert_eq!(d.params.algorithm, Algorithm::Sha256);
        assert_eq!(d.params.digits, 8);
        assert_eq!(d.params.kind, OtpKind::Totp { period: 60 });
    }

    #[test]
    fn hotp_and_steam() {
        let d = parse("otpauth://hotp/x?secret=JBSWY3DPEHPK3PXP&counter=42");
        assert_eq!(d.params.kind, OtpKind::Hotp { counter: 42 });
        let d = parse("otpauth://totp/Steam:me?secret=JBSWY3DPEHPK3PXP&encoder=steam");
        assert_eq!(d.params.kind, OtpKind::Steam);
        assert_eq!(d.params.digits, 5);
        let d = parse("otpauth://steam/Steam:me?secret=JBSWY3DPEHPK3PXP");
        assert_eq!(d.params.kind, OtpKind::Steam);
    }

    #[test]
    fn errors_are_specific() {
        let err = |uri: &str| parse_uri(uri).unwrap_err();
        assert_eq!(err("https://x"), UriError::NotOtpauth);
        assert_eq!(err("otpauth://totp/x?issuer=y"), UriError::MissingSecret);
        assert_eq!(
            err("otpauth://motp/x?secret=JBSWY3DPEHPK3PXP"),
            UriError::UnknownType("motp".into())
        );
        assert_eq!(
            err("otpauth://totp/x?secret=JBSWY3DPEHPK3PXP&algorithm=MD5"),
            UriError::UnknownAlgorithm("MD5".into())
        );
        assert_eq!(
            err("otpauth://totp/x?secret=JBSWY3DPEHPK3PXP&digits=9"),
            UriError::Params(ParamsError::Digits(9))
        );
        assert_eq!(
            err("otpauth://totp/x?secret=JBSWY3DPEHPK3PXP&digits=5"),
            UriError::Params(ParamsError::Digits(5))
        );
        assert_eq!(
            err("otpauth://totp/x?secret=JBSWY3DPEHPK3PXP&period=0"),
            UriError::Params(ParamsError::Period(0))
        );
        assert_eq!(
            err("otpauth://hotp/x?secret=JBSWY3DPEHPK3PXP"),
            UriError::MissingCounter
        );
        assert!(matches!(
            err("otpauth://totp/x?secret=JBSWY3DPEHPK3PXP&digits=six"),
            UriError::NotANumber {
                parameter: "digits",
                ..
            }
        ));
        assert!(matches!(
            err("otpauth://totp/x?secret=JBSW1"),
            UriError::Secret(SecretError::InvalidCharacter { character: '1', .. })
        ));
        assert_eq!(
            err("otpauth://totp/%FF?secret=JBSWY3DPEHPK3PXP"),
            UriError::BadEncoding
        );
        assert_eq!(
            err("otpauth://totp/x?secret=JBSWY3DPEHPK3PXP&digits=99999999999"),
            UriError::Params(ParamsError::Digits(99_999_999_999))
        );
    }

    #[test]
    fn long_labels_are_refused_and_the_longest_allowed_round_trip() {
        let long = "\u{10FFFF}".repeat(MAX_LABEL_CHARS + 1);
        let uri = format!("otpauth://totp/{long}?secret={KEY}");
        assert_eq!(parse_uri(&uri), Err(UriError::LabelTooLong));
        // The worst case for length: every character a 4-byte one, in both labels.
        let longest = "\u{10FFFF}".repeat(MAX_LABEL_CHARS);
        let draft = AccountDraft {
            issuer: longest.clone(),
            name: longest,
            params: OtpParams::default(),
            secret: Secret::from_base32(&"A".repeat(crate::secret::MAX_SECRET_CHARS)).unwrap(),
        };
        assert_eq!(parse(&format_uri(&draft)), draft);
    }

    #[test]
    fn labels_lose_bidi_and_invisible_characters() {
        // %E2%80%AE is U+202E (right-to-left override), %E2%80%8B U+200B (zero-width space).
        let d = parse(
            "otpauth://totp/Pay%E2%80%8BPal%E2%80%AE:ali%E2%80%8Bce%0A?secret=JBSWY3DPEHPK3PXP\
             &issuer=Pay%E2%80%8BPal%E2%80%AE",
        );
        assert_eq!((d.issuer.as_str(), d.name.as_str()), ("PayPal", "alice"));
        let d = parse("otpauth://totp/%E2%80%AEmoc.lapyap%3A%E2%81%A6bob?secret=JBSWY3DPEHPK3PXP");
        assert_eq!((d.issuer.as_str(), d.name.as_str()), ("moc.lapyap", "bob"));
        // The length limit counts what is kept.
        let padded = format!("{}{}", "x".repeat(MAX_LABEL_CHARS), "%E2%80%8B".repeat(8));
        assert!(parse_uri(&format!("otpauth://totp/{padded}?secret={KEY}")).is_ok());
    }

    #[test]
    #[cfg(feature = "transfer")]
    fn labels_of_a_refused_link() {
        let uri = "otpauth://totp/ACME:bob?algorithm=MD5&secret=JBSWY3DPEHPK3PXP";
        assert!(parse_uri(uri).is_err());
        assert_eq!(uri_labels(uri), Some(("ACME".into(), "bob".into())));
        assert_eq!(
            uri_labels("otpauth://hotp/x?issuer=Co"),
            Some(("Co".into(), "x".into()))
        );
        let long = format!(
            "otpauth://totp/{}?issuer=x",
            "n".repeat(MAX_LABEL_CHARS + 5)
        );
        assert_eq!(
            uri_labels(&long).map(|(_, n)| n.len()),
            Some(MAX_LABEL_CHARS)
        );
        assert_eq!(uri_labels("otpauth://totp/%FF"), None);
        assert_eq!(uri_labels("https://x/y"), None);
    }

    #[test]
    fn messages_never_contain_the_secret() {
        let err = parse_uri("otpauth://totp/x?secret=JBSWY3DPEHPK3PX1").unwrap_err();
        assert!(!err.to_string().contains("JBSWY3DP"));
    }

    #[test]
    fn format_round_trips_awkward_labels() {
        for (issuer, name) in [("A:B", "x:y"), ("", "a:b"), ("Ünï cödé", "a b+c&d=e?f#g%h")] {
            let draft = AccountDraft {
                issuer: issuer.into(),
                name: name.into(),
                params: OtpParams::default(),
                secret: Secret::from_base32(KEY).unwrap(),
            };
            assert_eq!(parse(&format_uri(&draft)), draft, "{issuer:?} {name:?}");
        }
    }
}
