//! The add-account form as typed: text fields in, an [`AccountDraft`] or a field-specific
//! error out.
//!
//! The **Secret key** field takes either the key a site shows or a whole `otpauth://` link; with
//! a link, the key comes from the link and the other fields (which the view fills from the link
//! when it is pasted) say the rest.

use std::fmt;

use serde::Deserialize;

use crate::account::{AccountDraft, clean_label};
use crate::coded::{Coded, MessageValue};
use crate::otp::{Algorithm, OtpKind, OtpParams, ParamsError};
use crate::secret::{Secret, SecretError};
use crate::uri::{UriError, parse_uri};

/// The form's fields, as strings exactly as typed or chosen.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct AccountForm {
    /// **Issuer**.
    pub issuer: String,
    /// **Account name**.
    pub name: String,
    /// **Secret key**: base32 key or `otpauth://` link.
    pub secret: String,
    /// **Type**: `totp`, `hotp` or `steam` (empty means `totp`).
    #[serde(rename = "type")]
    pub kind: String,
    /// **Algorithm**: `SHA1`, `SHA256` or `SHA512` (empty means SHA1).
    pub algorithm: String,
    /// **Digits** (empty means 6).
    pub digits: String,
    /// **Period (seconds)** (empty means 30).
    pub period: String,
    /// **Counter** (empty means 0).
    pub counter: String,
}

/// A form error: which field, and what is wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FormError {
    /// The secret key field.
    Secret(SecretError),
    /// The secret key field held a link that is not usable.
    Uri(UriError),
    /// Digits or period out of range.
    Params(ParamsError),
    /// A number field holds something else.
    NotANumber {
        /// `digits`, `period` or `counter`.
        field: &'static str,
    },
    /// An unknown type or algorithm (only possible by tampering with the form).
    Choice {
        /// `type` or `algorithm`.
        field: &'static str,
    },
}

impl fmt::Display for FormError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Secret(error) => error.fmt(f),
            Self::Uri(error) => error.fmt(f),
            Self::Params(error) => error.fmt(f),
            Self::NotANumber { field } => write!(f, "The {field} must be a whole number."),
            Self::Choice { field } => write!(f, "Choose a {field} from the list."),
        }
    }
}

impl std::error::Error for FormError {}

/// The wrapped key, link or parameter error's code, detail, values and cause, with the form
/// field from [`FormError::field`].
impl Coded for FormError {
    fn code(&self) -> &'static str {
        match self {
            Self::Secret(error) => error.code(),
            Self::Uri(error) => error.code(),
            Self::Params(error) => error.code(),
            Self::NotANumber { .. } => "form.number",
            Self::Choice { .. } => "form.choice",
        }
    }

    fn field(&self) -> Option<&'static str> {
        Some(FormError::field(self))
    }

    /// Which field must be a number or a choice.
    fn detail(&self) -> Option<&'static str> {
        match self {
            Self::Secret(error) => error.detail(),
            Self::Uri(error) => error.detail(),
            Self::Params(error) => error.detail(),
            Self::NotANumber { field: "digits" } => Some("form.number-digits"),
            Self::NotANumber { field: "period" } => Some("form.number-period"),
            Self::NotANumber { .. } => Some("form.number-counter"),
            Self::Choice { field: "type" } => Some("form.choice-type"),
            Self::Choice { .. } => Some("form.choice-algorithm"),
        }
    }

    fn values(&self) -> Vec<MessageValue> {
        match self {
            Self::Secret(error) => error.values(),
            Self::Uri(error) => error.values(),
            Self::Params(error) => error.values(),
            Self::NotANumber { .. } | Self::Choice { .. } => Vec::new(),
        }
    }

    fn cause(&self) -> Option<&dyn Coded> {
        match self {
            Self::Uri(error) => error.cause(),
            _ => None,
        }
    }
}

impl FormError {
    /// The form field the error belongs beside.
    pub fn field(&self) -> &'static str {
        match self {
            Self::Secret(_) | Self::Uri(_) => "secret",
            Self::Params(ParamsError::Digits(_)) => "digits",
            Self::Params(ParamsError::Period(_)) => "period",
            Self::NotANumber { field } | Self::Choice { field } => field,
        }
    }
}

/// True when the text is an `otpauth://` link rather than a bare key.
pub fn is_uri(text: &str) -> bool {
    text.trim_start()
        .get(..10)
        .is_some_and(|head| head.eq_ignore_ascii_case("otpauth://"))
}

/// Parses just the secret key field (a key or a link), for checking while the user types.
///
/// # Errors
/// [`FormError::Secret`] or [`FormError::Uri`].
pub fn parse_secret_field(text: &str) -> Result<Secret, FormError> {
    if is_uri(text) {
        parse_uri(text)
            .map(|draft| draft.secret)
            .map_err(FormError::Uri)
    } else {
        Secret::from_base32(text).map_err(FormError::Secret)
    }
}

impl AccountForm {
    /// Turns the form into a draft, labels cleaned ([`clean_label`]). Checks the secret first,
    /// since that is what people mistype.
    ///
    /// ```
    /// use toolbar_authenticator::form::AccountForm;
    /// let form = AccountForm { issuer: "Example".into(), secret: "jbsw y3dp ehpk 3pxp".into(), ..Default::default() };
    /// let draft = form.to_draft().unwrap();
    /// assert_eq!(draft.params.digits, 6);
    /// ```
    ///
    /// # Errors
    /// The first [`FormError`] found.
    pub fn to_draft(&self) -> Result<AccountDraft, FormError> {
        let secret = parse_secret_field(&self.secret)?;
        let algorithm = match self.algorithm.trim() {
            "" => Algorithm::Sha1,
            name => Algorithm::from_name(name).ok_or(FormError::Choice { field: "algorithm" })?,
        };
        let digits = number(&self.digits, "digits", 6)?;
        let digits =
            u8::try_from(digits).map_err(|_| FormError::Params(ParamsError::Digits(digits)))?;
        let kind = match self.kind.trim().to_ascii_lowercase().as_str() {
            "" | "totp" => {
                let period = number(&self.period, "period", 30)?;
                OtpKind::Totp {
                    period: u32::try_from(period)
                        .map_err(|_| FormError::Params(ParamsError::Period(period)))?,
                }
            }
            "hotp" => OtpKind::Hotp {
                counter: number(&self.counter, "counter", 0)?,
            },
            "steam" => OtpKind::Steam,
            _ => return Err(FormError::Choice { field: "type" }),
        };
        let params = OtpParams {
            kind,
            algorithm,
            digits,
        }
        .validated()
        .map_err(FormError::Params)?;
        Ok(AccountDraft {
            issuer: clean_label(&self.issuer),
            name: clean_label(&self.name),
            params,
            secret,
        })
    }
}

fn number(text: &str, field: &'static str, default: u64) -> Result<u64, FormError> {
    match text.trim() {
        "" => Ok(default),
        digits => digits.parse().map_err(|_| FormError::NotANumber { field }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form(secret: &str) -> AccountForm {
        AccountForm {
            issuer: "Example".into(),
            name: "alice".into(),
            secret: secret.into(),
            ..AccountForm::default()
        }
    }

    #[test]
    fn defaults_are_totp_sha1_6_30() {
        let draft = form("JBSWY3DPEHPK3PXP").to_draft().unwrap();
        assert_eq!(draft.params, OtpParams::default());
    }

    #[test]
    fn link_in_secret_field_supplies_the_key() {
        let mut f = form("otpauth://totp/X:y?secret=JBSWY3DPEHPK3PXP&algorithm=SHA256");
        f.algorithm = "SHA256".into();
        let draft = f.to_draft().unwrap();
        assert_eq!(
            draft.secret,
            Secret::from_base32("JBSWY3DPEHPK3PXP").unwrap()
        );
        assert_eq!(draft.params.algorithm, Algorithm::Sha256);
        assert_eq!(draft.issuer, "Example");
    }

    #[test]
    fn errors_name_their_field() {
        let err = form("JBSW1").to_draft().unwrap_err();
        assert_eq!(err.field(), "secret");
        let mut f = form("JBSWY3DPEHPK3PXP");
        f.digits = "9".into();
        assert_eq!(f.to_draft().unwrap_err().field(), "digits");
        f.digits = "x".into();
        assert_eq!(
            f.to_draft().unwrap_err(),
            FormError::NotANumber { field: "digits" }
        );
        let mut f = form("JBSWY3DPEHPK3PXP");
        f.period = "0".into();
        assert_eq!(f.to_draft().unwrap_err().field(), "period");
        f.period = "99999999999".into();
        assert_eq!(f.to_draft().unwrap_err().field(), "period");
        let mut f = form("JBSWY3DPEHPK3PXP");
        f.kind = "hotp".into();
        f.counter = "-1".into();
        assert_eq!(f.to_draft().unwrap_err().field(), "counter");
        let err = form("otpauth://totp/x?issuer=y").to_draft().unwrap_err();
        assert_eq!(err, FormError::Uri(UriError::MissingSecret));
    }

    #[test]
    fn labels_typed_or_pasted_are_cleaned() {
        let mut f = form("JBSWY3DPEHPK3PXP");
        f.issuer = "\u{202E}Exa\u{200B}mple".into();
        f.name = "\u{2067}alice\u{2069}\t".into();
        let draft = f.to_draft().unwrap();
        assert_eq!(
            (draft.issuer.as_str(), draft.name.as_str()),
            ("Example", "alice")
        );
    }

    #[test]
    fn detects_links() {
        assert!(is_uri("  OTPAUTH://totp/x"));
        assert!(!is_uri("JBSWY3DPEHPK3PXP"));
        assert!(!is_uri("otp"));
    }
}
