//! Steam's own Steam Guard files (`maFile`s, and the Steam app's `Steamguard-<id>`): JSON with
//! `shared_secret` (standard base64) and `account_name`, either at the top level (older files)
//! or for each account of an `accounts` object. Issuer `Steam`, name the account name.

use serde_json::Value;

use super::json_fields::{byte_key, non_empty, steam_params, text, text_or_empty};
use super::unseal::base64_decode;
use super::{Candidate, Detected, Format, ImportedEntry, Input, Skip, TransferError};

const FORMAT: Format = Format::SteamGuard;

/// The account objects of a document: itself when it has a `shared_secret`, else the values of
/// its `accounts` object that have one.
fn accounts(json: &Value) -> Vec<&Value> {
    if json.get("shared_secret").is_some() {
        return vec![json];
    }
    json.get("accounts")
        .and_then(Value::as_object)
        .map(|accounts| {
            accounts
                .values()
                .filter(|account| account.get("shared_secret").is_some())
                .collect()
        })
        .unwrap_or_default()
}

/// Content check: an object with `shared_secret`, or an `accounts` object of such objects.
pub fn detect(input: &Input) -> Option<Detected> {
    let json = input.json.as_ref()?;
    (!accounts(json).is_empty()).then_some(Detected {
        format: FORMAT,
        encrypted: false,
    })
}

/// Reads every account (several accounts come in the order of their ids). `password` is not
/// used.
///
/// # Errors
/// [`TransferError::UnknownFormat`] when there is no `shared_secret`.
pub fn read(input: &Input, _password: Option<&str>) -> Result<Vec<Candidate>, TransferError> {
    let json = input.json.as_ref().ok_or(TransferError::UnknownFormat)?;
    let accounts = accounts(json);
    if accounts.is_empty() {
        return Err(TransferError::UnknownFormat);
    }
    non_empty(FORMAT, accounts.into_iter().map(account).collect())
}

/// One account.
fn account(value: &Value) -> Candidate {
    let key = match text(value, "shared_secret").map(str::trim) {
        None | Some("") => Err(Skip::NoKey),
        Some(secret) => base64_decode(secret)
            .ok_or(Skip::Field("shared_secret"))
            .and_then(byte_key),
    };
    ImportedEntry::candidate(
        "Steam",
        text_or_empty(value, "account_name"),
        Ok(steam_params()),
        key,
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::transfer::test_fixtures::{check_fixture, fixture};

    #[test]
    fn fixtures_read_to_their_expected_entries() {
        for file in ["steam/steam.json", "steam/steam_old.json"] {
            let bytes = fixture(file);
            assert_eq!(
                detect(&Input::new(&bytes).unwrap()).map(|d| d.format),
                Some(FORMAT),
                "{file}"
            );
            assert_eq!(check_fixture(file, |i| read(i, None)), 1, "{file}");
        }
    }

    #[test]
    fn a_bad_shared_secret_is_skipped() {
        let input =
            Input::new(br#"{"shared_secret": "not base64!", "account_name": "x"}"#).unwrap();
        let entries = read(&input, None).unwrap();
        assert_eq!(
            entries[0].as_ref().unwrap_err().reason,
            Skip::Field("shared_secret")
        );
        assert_eq!(
            detect(&Input::new(br#"{"accounts": {"a": {}}}"#).unwrap()),
            None
        );
    }
}
