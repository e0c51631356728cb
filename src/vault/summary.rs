//! What the view may know of an account: everything but its key.

use serde::Serialize;

use crate::account::Account;
use crate::otp::{OtpKind, OtpParams};

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
    /// HOTP counter as a decimal string: exact up to 2^64 − 1, which a JS number is not above
    /// 2^53 − 1 (the add form filled from a pasted link would have saved a different counter).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub counter: Option<String>,
}

impl<'a> AccountSummary<'a> {
    /// The summary of labels and parameters, without an id.
    pub fn new(issuer: &'a str, account: &'a str, params: OtpParams) -> Self {
        let (kind, counter) = match params.kind {
            OtpKind::Totp { .. } => ("totp", None),
            OtpKind::Hotp { counter } => ("hotp", Some(counter.to_string())),
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
    fn a_summary_never_holds_the_key_and_counters_stay_exact() {
        let params = OtpParams {
            kind: OtpKind::Hotp { counter: u64::MAX },
            ..OtpParams::default()
        };
        let summary = AccountSummary::new("Issuer", "me", params);
        assert_eq!(summary.counter.as_deref(), Some("18446744073709551615"));
        let json = serde_json::to_string(&summary).unwrap();
        assert_eq!(
            json,
            r#"{"issuer":"Issuer","account":"me","type":"hotp","algorithm":"SHA1","digits":6,"counter":"18446744073709551615"}"#
        );
    }
}
