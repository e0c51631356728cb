//! The Import page's rules end to end in the core, on every real export in
//! `../shared/interop/expected.json`: read → preview against the stored accounts → the chosen
//! rows stored with `Edit::Import` in one revision → the vault's stored form read back. Then the
//! same file again: every row is "already in your list", and importing it all adds nothing.
//!
//! The fixtures are GPL-3.0 test data read in place from `../shared/interop/` (beside the
//! checkout), never copied here. Without that folder the test fails and names the path.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::PathBuf;

use serde_json::Value;
use toolbar_authenticator::account::Account;
use toolbar_authenticator::otp::OtpKind;
use toolbar_authenticator::secret::Secret;
use toolbar_authenticator::transfer::{self, ImportPreview, Row};
use toolbar_authenticator::vault::{Edit, Vault};

const UNNAMED: &str = "Unnamed account";

fn interop_dir() -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/interop");
    assert!(
        dir.join("expected.json").is_file(),
        "the interop fixtures are missing: {} (expected.json and the apps' exports) must exist \
         beside the checkout; this test cannot check any import without them",
        dir.display()
    );
    dir
}

fn preview_of(bytes: &[u8], password: Option<&str>, stored: &[Account]) -> ImportPreview {
    ImportPreview::new(transfer::read(bytes, password).unwrap(), stored, UNNAMED)
}

/// The stored account matches the expectation: labels (trimmed; an entry without either is
/// named [`UNNAMED`]), key, kind, algorithm, digits, period or counter.
fn assert_stored(at: &str, got: &Account, want: &Value) {
    let issuer = want["issuer"].as_str().map(str::trim);
    let name = want["name"].as_str().map(str::trim);
    match (issuer, name) {
        (Some(""), Some("")) => assert_eq!(
            (got.issuer.as_str(), got.name.as_str()),
            ("", UNNAMED),
            "{at}"
        ),
        _ => {
            if let Some(issuer) = issuer {
                assert_eq!(got.issuer, issuer, "{at}: issuer");
            }
            if let Some(name) = name {
                assert_eq!(got.name, name, "{at}: name");
            }
        }
    }
    let secret = Secret::from_base32(want["secret"].as_str().unwrap()).unwrap();
    assert!(got.secret == secret, "{at}: the key differs");
    let (kind, counter) = match got.params.kind {
        OtpKind::Totp { .. } => ("totp", None),
        OtpKind::Hotp { counter } => ("hotp", Some(counter)),
        OtpKind::Steam => ("steam", None),
    };
    assert_eq!(kind, want["type"].as_str().unwrap(), "{at}: type");
    if let Some(algorithm) = want["algorithm"].as_str() {
        assert_eq!(got.params.algorithm.name(), algorithm, "{at}: algorithm");
    }
    assert_eq!(
        u64::from(got.params.digits),
        want["digits"].as_u64().unwrap(),
        "{at}: digits"
    );
    assert_eq!(
        got.params.period().map(u64::from),
        want["period"].as_u64(),
        "{at}: period"
    );
    assert_eq!(counter, want["counter"].as_u64(), "{at}: counter");
}

#[test]
fn every_interop_fixture_previews_imports_in_one_revision_and_then_is_already_in_the_list() {
    let dir = interop_dir();
    let expected: Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("expected.json")).unwrap()).unwrap();
    let (mut files, mut accounts, mut unnamed) = (0, 0, 0);
    for fixture in expected["fixtures"].as_array().unwrap() {
        let file = fixture["file"].as_str().unwrap();
        let bytes = std::fs::read(dir.join(file)).unwrap();
        let password = fixture["password"].as_str();
        let want = fixture["entries"].as_array().unwrap();

        let mut vault = Vault::new();
        let preview = preview_of(&bytes, password, vault.accounts());
        assert_eq!(preview.importable(), want.len(), "{file}: importable rows");
        assert!(
            preview.rows.iter().all(|row| matches!(
                row,
                Row::Ready {
                    duplicate: false,
                    ..
                }
            )),
            "{file}: nothing is in an empty list"
        );
        let all: Vec<usize> = (0..preview.rows.len()).collect();
        vault
            .apply(&Edit::Import(preview.chosen(&all).unwrap()))
            .unwrap();
        assert_eq!(vault.revision, 1, "{file}: one write");
        assert_eq!(
            vault.accounts().len(),
            want.len(),
            "{file}: accounts stored"
        );
        let stored = Vault::from_bytes(&vault.to_bytes()).unwrap();
        assert_eq!(stored, vault, "{file}: the stored form reads back");
        for (index, (got, want)) in stored.accounts().iter().zip(want).enumerate() {
            assert_stored(&format!("{file} entry {}", index + 1), got, want);
            unnamed += usize::from(got.name == UNNAMED);
        }

        let again = preview_of(&bytes, password, vault.accounts());
        assert!(
            again.rows.iter().all(|row| matches!(
                row,
                Row::Ready {
                    duplicate: true,
                    ..
                }
            )),
            "{file}: every entry is already in the list"
        );
        let before = vault.clone();
        vault
            .apply(&Edit::Import(again.chosen(&all).unwrap()))
            .unwrap();
        assert_eq!(
            vault.accounts(),
            before.accounts(),
            "{file}: a second import adds nothing"
        );

        files += 1;
        accounts += want.len();
    }
    eprintln!("import preview: {files} files, {accounts} accounts stored ({unnamed} unnamed)");
    assert!(
        files > 0 && unnamed > 0,
        "no fixture was checked, or none without labels"
    );
}
