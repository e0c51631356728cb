//! What the view may know of an account: everything but its key.

use serde::Serialize;

use crate::account::Account;
use crate::otp::{OtpKind, OtpParams};

/// The largest counter a summary shows: 2^53 − 1, the last integer a JS number holds exactly
/// (a real HOTP counter never comes near it).
pub const MAX_SAFE_COUNTER: u64 = (1 << 53) - 1;

/// What the view may know of an account: everything but its key. `parseUri` and `accounts()`
/// hand this to JavaScript (`id` only in `accounts()`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AccountSummary<'a> {
    /// The account's id (absent for a link that is not stored).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<&'a str>,
    /// Issuer.
    pub issuer: &'a str,
    /// Account name.
    pub account: &'a str,
    /// `totp`, `hotp` or `steam`.
    #[serde(rename = "type")]
    pub kind: &'static str,
    /// `SHA1`, `SHA256` or `SHA512`.
    pub algorithm: &'static str,
    /// Digits in a code.
    pub digits: u8,
    /// TOTP period in seconds.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub period: Option<u32>,
    /// HOTP counter, at most [`MAX_SAFE_COUNTER`] so that it is exact as a JS number.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub counter: Option<u64>,
}

impl<'a> AccountSummary<'a> {
    /// The summary of labels and parameters, without an id.
    pub fn new(issuer: &'a str, account: &'a str, params: OtpParams) -> Self {
        let (kind, counter) = match params.kind {
            OtpKind::Totp { .. } => ("totp", None),
            OtpKind::Hotp { counter } => ("hotp", Some(counter.min(MAX_SAFE_COUNTER))),
            OtpKind::Steam => ("steam", None),
        };
        Self {
            id: None,
            issuer,
            account,
            kind,
            algorithm: params.algorithm.name(),
            digits: params.digits,
            period: params.period(),
            counter,
        }
    }

    /// The summary of a stored account, with its id.
    pub fn of(account: &'a Account) -> Self {
        Self {
            id: Some(account.id.as_str()),
            ..Self::new(&account.issuer, &account.name, account.params)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::otp::OtpParams;

    #[test]
    fn a_summary_never_holds_the_key_and_counters_stay_exact_in_js() {
        let params = OtpParams {
            kind: OtpKind::Hotp { counter: u64::MAX },
            ..OtpParams::default()
        };
        let summary = AccountSummary::new("Issuer", "me", params);
        assert_eq!(summary.counter, Some(MAX_SAFE_COUNTER));
        let json = serde_json::to_string(&summary).unwrap();
        assert_eq!(
            json,
            r#"{"issuer":"Issuer","account":"me","type":"hotp","algorithm":"SHA1","digits":6,"counter":9007199254740991}"#
        );
    }
}
