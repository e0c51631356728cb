//! Errors as data for the view: a stable code, the form field it belongs beside, a finer
//! detail code where one message cannot say it all, the values the message needs, and the
//! error it came from. The view turns these into words from `_locales/<lang>/messages.json`
//! (`error_<detail>` when the locale has it, else `error_<code>`), so the WebAssembly modules
//! carry no sentence meant for display: the `Display` impls of the core's errors are for
//! native code and tests, and the bindings never call them.
//!
//! ```
//! use toolbar_authenticator::coded::{Coded, MessageValue};
//! use toolbar_authenticator::secret::Secret;
//!
//! let error = Secret::from_base32("JBSWY3DP1").unwrap_err();
//! let report = error.report();
//! assert_eq!(report.code, "secret.invalid-character");
//! assert_eq!(report.detail, Some("secret.invalid-character-one"));
//! assert_eq!(report.values, [MessageValue::text("1"), MessageValue::Number(9)]);
//! ```

use serde::{Serialize, Serializer};

/// One value a message needs: text (a name, a character, what a link said) or a number (a
/// size, a position, a limit) that the view formats in the reader's language. Never key
/// material.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MessageValue {
    /// Text shown as it is.
    Text(String),
    /// A whole number, formatted by the view (digit grouping of the language).
    Number(u64),
}

impl MessageValue {
    /// A text value.
    pub fn text(text: impl Into<String>) -> Self {
        Self::Text(text.into())
    }

    /// A number value from any unsigned count or size.
    pub fn number(value: impl TryInto<u64>) -> Self {
        Self::Number(value.try_into().unwrap_or(u64::MAX))
    }
}

/// A JS string or a JS number (never a `BigInt`: values are counts and sizes).
impl Serialize for MessageValue {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Self::Text(text) => serializer.serialize_str(text),
            // Exact up to 2^53; the values here are positions, sizes and limits.
            Self::Number(value) => serializer.serialize_f64(*value as f64),
        }
    }
}

/// An error as the view receives it: `{code, field?, detail?, values?, cause?}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ErrorReport {
    /// Stable machine-readable code, e.g. `secret.invalid-character`.
    pub code: &'static str,
    /// The form field the message belongs beside, e.g. `secret`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<&'static str>,
    /// A finer code whose message replaces the code's when the locale has one, e.g.
    /// `secret.invalid-character-zero` ("did you mean the letter O?").
    #[serde(skip_serializing_if = "Option::is_none")]
    pub detail: Option<&'static str>,
    /// The message's values, `$1`, `$2`, … in order.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub values: Vec<MessageValue>,
    /// The error this one wraps; its words are the message's last value.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cause: Option<Box<ErrorReport>>,
}

impl ErrorReport {
    /// A report with a code alone.
    pub fn new(code: &'static str) -> Self {
        Self {
            code,
            field: None,
            detail: None,
            values: Vec::new(),
            cause: None,
        }
    }
}

/// What every error that can reach a person provides, instead of words.
pub trait Coded {
    /// Stable machine-readable code: the view's message is `error_<code>`.
    fn code(&self) -> &'static str;

    /// The add/edit or password form field the error is about.
    fn field(&self) -> Option<&'static str> {
        None
    }

    /// A finer code for a variant whose words differ (its message is `error_<detail>`).
    fn detail(&self) -> Option<&'static str> {
        None
    }

    /// The values the message needs, in placeholder order.
    fn values(&self) -> Vec<MessageValue> {
        Vec::new()
    }

    /// The wrapped error, whose words complete this one's ("The link's secret is not valid:
    /// …").
    fn cause(&self) -> Option<&dyn Coded> {
        None
    }

    /// Everything above as one value for the view.
    fn report(&self) -> ErrorReport {
        ErrorReport {
            code: self.code(),
            field: self.field(),
            detail: self.detail(),
            values: self.values(),
            cause: self.cause().map(|cause| Box::new(cause.report())),
        }
    }
}

/// Why the bindings refused a call before any of the core's rules applied, or what they found
/// missing around it: the codes the WebAssembly modules raise themselves.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RequestError {
    /// The add/edit form is not an object of text fields.
    FormShape,
    /// A time that is not a number of seconds since 1970.
    BadTime,
    /// A link passed as something other than text.
    LinkNotText,
    /// The vault is locked.
    Locked,
    /// No password is set, so there is none to check or remove.
    NotProtected,
    /// The key derivation worker did not start or answer.
    NoWorker,
    /// "Use corrected time" before any clock check was shown.
    NoClockCheck,
    /// **Open** before an encrypted file was chosen.
    NothingToOpen,
    /// **Import** before anything was read.
    NothingToImport,
    /// A picture without a QR code.
    NoQrCode,
    /// A picture whose QR codes are not authenticator links.
    NotAuthenticator,
    /// An export of an empty list.
    NothingToExport,
    /// An encrypted backup before its password was entered.
    NoBackupPassword,
    /// Something that cannot happen did (a value that did not convert, storage answering
    /// oddly).
    Internal,
}

impl Coded for RequestError {
    fn code(&self) -> &'static str {
        match self {
            Self::FormShape => "form.shape",
            Self::BadTime => "time.invalid",
            Self::LinkNotText => "uri.not-text",
            Self::Locked => "vault.locked",
            Self::NotProtected => "vault.not-protected",
            Self::NoWorker => "crypto.worker",
            Self::NoClockCheck => "clock.none",
            Self::NothingToOpen => "import.nothing-to-open",
            Self::NothingToImport => "import.nothing-to-import",
            Self::NoQrCode => "import.no-qr",
            Self::NotAuthenticator => "import.not-authenticator",
            Self::NothingToExport => "export.empty",
            Self::NoBackupPassword => "backup.no-password",
            Self::Internal => "app.internal",
        }
    }

    fn field(&self) -> Option<&'static str> {
        match self {
            Self::NoBackupPassword => Some("backup-password"),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reports_serialise_as_the_view_reads_them() {
        let mut report = RequestError::NoBackupPassword.report();
        report.values = vec![MessageValue::text("Aegis"), MessageValue::number(5_usize)];
        report.cause = Some(Box::new(RequestError::Internal.report()));
        assert_eq!(
            serde_json::to_string(&report).unwrap(),
            r#"{"code":"backup.no-password","field":"backup-password","values":["Aegis",5.0],"cause":{"code":"app.internal"}}"#
        );
    }
}
