//! Bitwarden's unencrypted JSON export: `{"encrypted": false, "items": [...]}`, where a login's
//! `login.totp` holds the authenticator key. Items without one are passwords, not accounts, and
//! are left out.
//!
//! `login.totp` is one of three things (the CSV export, [`super::bitwarden_csv`], uses the same):
//! - an `otpauth://` link: read as such; an empty issuer or name is filled from the item's name
//!   and user name;
//! - `steam://<base32 key>`: a Steam Guard account;
//! - a bare base32 key: TOTP with the usual defaults (SHA-1, 6 digits, 30 seconds).
//!
//! For the last two the item's name becomes the issuer and its user name the account name:
//! that is what the person sees in Bitwarden.
//!
//! Bitwarden's encrypted exports (`"encrypted": true`) are not recognised.

use serde_json::Value;

use super::json_fields::{base32_key, non_empty, steam_params, text_or_empty, uri_candidate};
use super::{Candidate, Detected, Format, ImportedEntry, Input, TransferError};
use crate::otp::OtpParams;

const FORMAT: Format = Format::BitwardenJson;

/// Content check: an object with an `items` array (of objects with `type` and `name`; when
/// empty, beside a `folders` list) that is not marked encrypted.
pub fn detect(input: &Input) -> Option<Detected> {
    let json = input.json.as_ref()?;
    let plain = json.get("encrypted").is_none_or(|e| e == false);
    let items = json.get("items").and_then(Value::as_array)?;
    let bitwarden_items = items
        .iter()
        .all(|item| item.get("type").is_some() && item.get("name").is_some());
    let bitwarden = !items.is_empty() || json.get("folders").is_some();
    (plain && bitwarden && bitwarden_items).then_some(Detected {
        format: FORMAT,
        encrypted: false,
    })
}

/// Reads every item with an authenticator key, in file order. `password` is not used.
///
/// # Errors
/// [`TransferError::UnknownFormat`] when this is not a Bitwarden export,
/// [`TransferError::Empty`] when no item has an authenticator key.
pub fn read(input: &Input, _password: Option<&str>) -> Result<Vec<Candidate>, TransferError> {
    detect(input).ok_or(TransferError::UnknownFormat)?;
    let items = input
        .json
        .as_ref()
        .and_then(|json| json.get("items"))
        .and_then(Value::as_array)
        .ok_or(TransferError::UnknownFormat)?;
    let entries = items
        .iter()
        .filter_map(|item| {
            let login = item.get("login")?;
            let totp = login.get("totp").and_then(Value::as_str)?;
            let name = text_or_empty(item, "name");
            let username = text_or_empty(login, "username");
            totp_candidate(totp, &name, &username, "login.totp")
        })
        .collect();
    non_empty(FORMAT, entries)
}

/// Reads a `totp` field (link, `steam://` key or bare key) of the item `item_name` whose user
/// name is `username`. `None` when the field is empty: the item has no authenticator key.
pub(super) fn totp_candidate(
    totp: &str,
    item_name: &str,
    username: &str,
    field: &'static str,
) -> Option<Candidate> {
    let totp = totp.trim();
    if totp.is_empty() {
        return None;
    }
    let starts_with = |prefix: &str| {
        totp.get(..prefix.len())
            .is_some_and(|start| start.eq_ignore_ascii_case(prefix))
    };
    if starts_with("otpauth://") {
        return Some(
            uri_candidate(totp, field, item_name, username).map(|mut entry| {
                if entry.issuer.is_empty() {
                    entry.issuer = item_name.to_owned();
                }
                if entry.name.is_empty() {
                    entry.name = username.to_owned();
                }
                entry
            }),
        );
    }
    let (params, key) = if starts_with("steam://") {
        (steam_params(), totp.get(8..))
    } else {
        (OtpParams::default(), Some(totp))
    };
    Some(ImportedEntry::candidate(
        item_name,
        username,
        Ok(params),
        base32_key(key),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::otp::OtpKind;
    use crate::transfer::test_fixtures::{check_fixture, fixture};

    #[test]
    fn fixture_reads_to_its_expected_entries() {
        let file = "bitwarden/bitwarden.json";
        let bytes = fixture(file);
        assert_eq!(
            detect(&Input::new(&bytes).unwrap()).map(|d| d.format),
            Some(FORMAT)
        );
        assert_eq!(check_fixture(file, |i| read(i, None)), 4);
    }

    #[test]
    fn steam_and_bare_keys_take_the_item_labels() {
        let steam = totp_candidate("steam://JRZCL47CMXVOQMNPZR2F7J4RGI", "Test", "me", "t")
            .unwrap()
            .unwrap();
        assert_eq!(steam.params.kind, OtpKind::Steam);
        assert_eq!((steam.issuer.as_str(), steam.name.as_str()), ("Test", "me"));
        let bare = totp_candidate(" jbsw y3dp ehpk 3pxp ", "GitHub", "", "t")
            .unwrap()
            .unwrap();
        assert_eq!(bare.params, OtpParams::default());
        assert_eq!(bare.issuer, "GitHub");
        let link = totp_candidate("otpauth://totp/?secret=JBSWY3DPEHPK3PXP", "Site", "u", "t")
            .unwrap()
            .unwrap();
        assert_eq!((link.issuer.as_str(), link.name.as_str()), ("Site", "u"));
        assert!(totp_candidate("  ", "x", "y", "t").is_none());
        let short = totp_candidate("STEAM://x", "S", "", "t")
            .unwrap()
            .unwrap_err();
        assert_eq!(short.reason.code(), "import.key");
        let bad = totp_candidate("not a key!", "Bank", "", "t")
            .unwrap()
            .unwrap_err();
        assert_eq!(
            (bad.issuer.as_str(), bad.reason.code()),
            ("Bank", "import.key")
        );
    }

    #[test]
    fn items_without_keys_and_encrypted_exports() {
        let plain = br#"{"encrypted": false, "items": [{"type": 1, "name": "a", "login": {"totp": null}}]}"#;
        let input = Input::new(plain).unwrap();
        assert!(detect(&input).is_some());
        assert_eq!(
            read(&input, None).unwrap_err(),
            TransferError::Empty { format: FORMAT }
        );
        let encrypted = br#"{"encrypted": true, "items": []}"#;
        assert_eq!(detect(&Input::new(encrypted).unwrap()), None);
    }
}
