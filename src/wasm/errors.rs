//! Core errors as JavaScript `Error`s with a stable `code`, the form `field` they concern (if
//! any), and a `message` a person can act on. Messages never contain key material.

use std::fmt::Display;

use js_sys::{Error, Reflect};
use wasm_bindgen::JsValue;

use crate::account::AccountError;
use crate::crypto::CryptoError;
use crate::otp::ParamsError;
use crate::secret::SecretError;
use crate::uri::UriError;
use crate::vault::VaultError;

/// Builds `Error(message)` with `code` and, when given, `field` properties.
pub fn js_error(code: &str, field: Option<&str>, message: impl Display) -> JsValue {
    new_error(code, field, &message)
}

/// [`js_error`]'s body, once for every message type (a copy per type cost 3.5 KB raw).
fn new_error(code: &str, field: Option<&str>, message: &dyn Display) -> JsValue {
    let error = Error::new(&message.to_string());
    // Setting a property on a fresh Error object cannot fail.
    let _ = Reflect::set(&error, &"code".into(), &code.into());
    if let Some(field) = field {
        let _ = Reflect::set(&error, &"field".into(), &field.into());
    }
    error.into()
}

/// Stable identifiers and the form field for core errors.
pub trait Coded: Display {
    /// Stable machine-readable code, e.g. `secret.invalid-character`.
    fn code(&self) -> &'static str;
    /// The add/edit form field the error is about.
    fn field(&self) -> Option<&'static str>;
    /// As a JavaScript `Error`.
    fn to_js(&self) -> JsValue {
        js_error(self.code(), self.field(), self)
    }
}

impl Coded for SecretError {
    fn code(&self) -> &'static str {
        match self {
            Self::Empty => "secret.empty",
            Self::InvalidCharacter { .. } => "secret.invalid-character",
            Self::PaddingInMiddle { .. } => "secret.padding",
            Self::ImpossibleLength { .. } => "secret.length",
            Self::TooShort { .. } => "secret.too-short",
            Self::TooLong { .. } => "secret.too-long",
        }
    }
    fn field(&self) -> Option<&'static str> {
        Some("secret")
    }
}

impl Coded for ParamsError {
    fn code(&self) -> &'static str {
        match self {
            Self::Digits(_) => "params.digits",
            Self::Period(_) => "params.period",
        }
    }
    fn field(&self) -> Option<&'static str> {
        match self {
            Self::Digits(_) => Some("digits"),
            Self::Period(_) => Some("period"),
        }
    }
}

impl Coded for AccountError {
    fn code(&self) -> &'static str {
        match self {
            Self::Unnamed => "account.unnamed",
            Self::LabelTooLong { .. } => "account.label-too-long",
            Self::Params(error) => error.code(),
            Self::Random => "account.random",
            Self::BadId => "account.bad-id",
        }
    }
    fn field(&self) -> Option<&'static str> {
        match self {
            Self::Unnamed => Some("issuer"),
            Self::LabelTooLong { field } if *field == "issuer" => Some("issuer"),
            Self::LabelTooLong { .. } => Some("name"),
            Self::Params(error) => error.field(),
            Self::Random | Self::BadId => None,
        }
    }
}

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
}

impl Coded for VaultError {
    fn code(&self) -> &'static str {
        match self {
            Self::Corrupt(_) => "vault.corrupt",
            Self::FutureSchema { .. } => "vault.future-schema",
            Self::BadAccount { .. } => "vault.bad-account",
            Self::NoSuchAccount => "vault.no-such-account",
            Self::Duplicate => "vault.duplicate",
            Self::NotHotp => "vault.not-hotp",
            Self::Full => "vault.full",
            Self::Account(error) => error.code(),
            Self::Crypto(error) => error.code(),
            Self::NotText => "vault.not-text",
            Self::Downgraded => "vault.downgraded",
            Self::RolledBack { .. } => "vault.rolled-back",
            Self::AlreadyProtected => "vault.already-protected",
            Self::StorageFull => "storage.full",
        }
    }
    fn field(&self) -> Option<&'static str> {
        match self {
            Self::Duplicate => Some("secret"),
            Self::Account(error) => error.field(),
            Self::Crypto(error) => error.field(),
            _ => None,
        }
    }
}

impl Coded for CryptoError {
    fn code(&self) -> &'static str {
        match self {
            Self::WrongPassword => "crypto.wrong-password",
            Self::Malformed(_) => "crypto.malformed",
            Self::Altered => "crypto.altered",
            Self::ShortPassword => "crypto.short-password",
            Self::WeakParameters => "crypto.weak-parameters",
            Self::ExcessiveParameters => "crypto.excessive-parameters",
            Self::EmptyPassword => "crypto.empty-password",
            Self::PasswordMismatch => "crypto.mismatch",
            Self::Random => "crypto.random",
        }
    }
    fn field(&self) -> Option<&'static str> {
        match self {
            Self::WrongPassword => Some("current"),
            Self::EmptyPassword | Self::ShortPassword => Some("password"),
            Self::PasswordMismatch => Some("confirm"),
            _ => None,
        }
    }
}
