//! Proton Authenticator JSON exports: `{"version": 1, "entries": [{"content": {"uri", "name",
//! "entry_type"}}]}`. `content.uri` is an `otpauth://` link (or `steam://<key>` for Steam
//! entries); `content.name` is the account name the person gave, and wins over the link's.

use serde_json::Value;

use super::json_fields::{base32_key, non_empty, steam_params, text, text_or_empty, uri_candidate};
use super::{Candidate, Detected, Format, ImportedEntry, Input, Skip, SkippedEntry, TransferError};

const FORMAT: Format = Format::ProtonAuthenticator;

/// Content check: an object with a non-empty `entries` array whose items all have a `content`
/// object.
pub fn detect(input: &Input) -> Option<Detected> {
    let entries = input.json.as_ref()?.get("entries")?.as_array()?;
    let proton = !entries.is_empty()
        && entries
            .iter()
            .all(|entry| entry.get("content").is_some_and(Value::is_object));
    proton.then_some(Detected {
        format: FORMAT,
        encrypted: false,
    })
}

/// Reads every entry, in file order. `password` is not used.
///
/// # Errors
/// [`TransferError::UnknownFormat`] when this is not a Proton Authenticator export,
/// [`TransferError::Empty`] without entries.
pub fn read(input: &Input, _password: Option<&str>) -> Result<Vec<Candidate>, TransferError> {
    detect(input).ok_or(TransferError::UnknownFormat)?;
    let entries = input
        .json
        .as_ref()
        .and_then(|json| json.get("entries"))
        .and_then(Value::as_array)
        .ok_or(TransferError::UnknownFormat)?;
    non_empty(FORMAT, entries.iter().map(entry).collect())
}

/// One entry.
fn entry(value: &Value) -> Candidate {
    let content = &value["content"];
    let name = text_or_empty(content, "name");
    let Some(uri) = text(content, "uri").map(str::trim) else {
        return Err(SkippedEntry {
            issuer: String::new(),
            name,
            reason: Skip::NoKey,
        });
    };
    if let Some(key) = uri
        .get(..8)
        .filter(|scheme| scheme.eq_ignore_ascii_case("steam://"))
        .and_then(|_| uri.get(8..))
    {
        return ImportedEntry::candidate("Steam", name, Ok(steam_params()), base32_key(Some(key)));
    }
    uri_candidate(uri, "content.uri", "", &name).map(|mut entry| {
        if !name.is_empty() {
            entry.name = name;
        }
        entry
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::otp::OtpKind;
    use crate::transfer::test_fixtures::{check_fixture, fixture};

    #[test]
    fn fixture_reads_to_its_expected_entries() {
        let file = "proton_authenticator/proton_authenticator.json";
        let bytes = fixture(file);
        assert_eq!(
            detect(&Input::new(&bytes).unwrap()).map(|d| d.format),
            Some(FORMAT)
        );
        assert_eq!(check_fixture(file, |i| read(i, None)), 3);
    }

    #[test]
    fn steam_links_and_missing_links() {
        let json = br#"{"version": 1, "entries": [
            {"content": {"uri": "steam://JRZCL47CMXVOQMNPZR2F7J4RGI", "name": "gabe", "entry_type": "Steam"}},
            {"content": {"name": "nothing"}}
        ]}"#;
        let entries = read(&Input::new(json).unwrap(), None).unwrap();
        let steam = entries[0].as_ref().unwrap();
        assert_eq!(steam.params.kind, OtpKind::Steam);
        assert_eq!(
            (steam.issuer.as_str(), steam.name.as_str()),
            ("Steam", "gabe")
        );
        assert_eq!(entries[1].as_ref().unwrap_err().reason, Skip::NoKey);
    }
}
