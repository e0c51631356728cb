//! Stored data written by earlier releases (which used serde_json) still reads the same, and
//! what this build writes is JSON that serde_json reads back to the same values.
//!
//! The files in `tests/data/` were written by the serde_json-based code: `vault-schema1.json`
//! (plain), `vault-schema2.json` (the same accounts sealed with the password `correct horse`),
//! `session-key.json` (the key that unlocked it, as kept in session storage) and
//! `clock-cache.json` (the clock check's cache).

// Test helpers unwrap: a failure here is a failing test.
#![allow(clippy::unwrap_used, clippy::panic)]

use proptest::collection::vec;
use proptest::prelude::*;
use toolbar_authenticator::account::{Account, AccountDraft, AccountId, clean_label};
use toolbar_authenticator::clock_source::{Check, CheckCache};
use toolbar_authenticator::crypto::{VaultKey, sealed_kdf};
use toolbar_authenticator::otp::{Algorithm, OtpKind, OtpParams};
use toolbar_authenticator::secret::Secret;
use toolbar_authenticator::store::{Generations, Guard, Loaded, Stored, commit, load};
use toolbar_authenticator::vault::Vault;

mod common;

fn fixture(name: &str) -> Vec<u8> {
    let path = format!("{}/tests/data/{name}", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).unwrap();
    text.trim().as_bytes().to_vec()
}

/// Storage holding `current` as the only record (as the first password release left it: no
/// guard).
fn only(current: &[u8]) -> Generations {
    Generations {
        current: Stored::Text(String::from_utf8(current.to_vec()).unwrap()),
        previous: Stored::Missing,
    }
}

fn plain_vault() -> Vault {
    Vault::from_bytes(&fixture("vault-schema1.json")).unwrap()
}

#[test]
fn a_sealed_record_from_an_earlier_release_opens_with_its_password() {
    let sealed = fixture("vault-schema2.json");
    let spec = sealed_kdf(&sealed).unwrap();
    let key = VaultKey::derive("correct horse", &spec).unwrap();
    match load(&only(&sealed), Some(&key), Guard::default()) {
        Loaded::Ready {
            vault,
            sealed: true,
            recovered_from: None,
        } => assert_eq!(vault, plain_vault()),
        other => panic!("{other:?}"),
    }
}

#[test]
fn a_session_key_from_an_earlier_release_still_opens_the_record() {
    let text = String::from_utf8(fixture("session-key.json")).unwrap();
    let key = VaultKey::from_session_text(&text).unwrap();
    let sealed = fixture("vault-schema2.json");
    assert!(matches!(
        load(&only(&sealed), Some(&key), Guard::default()),
        Loaded::Ready { sealed: true, .. }
    ));
    // Written back the same way.
    assert_eq!(key.to_session_text().as_str(), text);
}

#[test]
fn a_schema_2_record_is_rewritten_as_schema_3_with_its_revision_and_key_check() {
    let sealed = fixture("vault-schema2.json");
    let key = VaultKey::derive("correct horse", &sealed_kdf(&sealed).unwrap()).unwrap();
    let stored = only(&sealed);
    let Loaded::Ready { vault: basis, .. } = load(&stored, Some(&key), Guard::default()) else {
        panic!("the fixture must open");
    };
    let mut vault = basis.clone();
    let plan = commit(
        &stored,
        Some(&key),
        Guard::default(),
        Some(&basis),
        &mut vault,
        Some(&key),
    )
    .unwrap();
    assert!(plan.aside.is_empty(), "a readable record is not kept aside");
    for (record, revision) in [
        (&plan.current, vault.revision),
        (plan.previous.as_ref().unwrap(), basis.revision),
    ] {
        let value: serde_json::Value = serde_json::from_slice(record).unwrap();
        assert_eq!(value["schema"], 3);
        assert_eq!(value["revision"].as_u64(), Some(revision));
        assert_eq!(
            value["check"].as_str().map(str::len),
            Some(24),
            "16 bytes, base64"
        );
        assert_eq!(
            value["kdf"],
            serde_json::from_slice::<serde_json::Value>(&sealed).unwrap()["kdf"]
        );
    }
    assert_eq!(
        plan.guard,
        Guard {
            sealed: true,
            revision: vault.revision
        }
    );
    let after = Generations {
        current: Stored::Text(String::from_utf8(plan.current).unwrap()),
        previous: Stored::Text(String::from_utf8(plan.previous.unwrap()).unwrap()),
    };
    match load(&after, Some(&key), plan.guard) {
        Loaded::Ready { vault: opened, .. } => assert_eq!(opened, vault),
        other => panic!("{other:?}"),
    }
    // The earlier release read `schema` > 2 as "saved by a newer version": never as damage.
}

#[test]
fn a_clock_cache_from_an_earlier_release_reads_the_same() {
    let text = String::from_utf8(fixture("clock-cache.json")).unwrap();
    let cache = CheckCache::from_json(Some(&text));
    assert_eq!(
        cache.checks,
        [Check {
            origin: "https://example.com".into(),
            source: "example.com".into(),
            measured_at: 1_790_000_000_123,
            offset_ms: -2_345,
            uncertainty_ms: 150,
        }]
    );
    assert_eq!(cache.to_json(), text);
}

#[test]
fn the_plain_record_is_written_as_earlier_releases_wrote_it() {
    assert_eq!(
        plain_vault().to_bytes().as_slice(),
        fixture("vault-schema1.json")
    );
}

// ---------------------------------------------------------------------------------------------

/// Labels with what JSON must escape: quotes, backslashes, control characters, and non-ASCII.
fn label() -> impl Strategy<Value = String> {
    vec(
        prop_oneof![
            3 => any::<char>(),
            3 => prop::sample::select(&['"', '\\', '/', '\n', '\t', '\0', '\u{1f}', '\u{7f}',
                '\u{2028}', 'é', '日', '🔑'][..]),
            2 => prop::char::range('a', 'z'),
        ],
        1..20,
    )
    .prop_map(|chars| {
        let text: String = chars.into_iter().collect();
        // Accounts keep only what `clean_label` leaves: a label of nothing else would be empty.
        let text = clean_label(&text).trim().to_owned();
        if text.is_empty() { "x".into() } else { text }
    })
}

fn account() -> impl Strategy<Value = Account> {
    (
        label(),
        label(),
        vec(any::<u8>(), 10..40),
        prop_oneof![
            (1u32..=300).prop_map(|period| OtpKind::Totp { period }),
            any::<u64>().prop_map(|counter| OtpKind::Hotp { counter }),
        ],
        "[0-9a-f]{32}",
    )
        .prop_map(|(issuer, name, mut key, kind, id)| {
            let draft = AccountDraft {
                issuer,
                name,
                params: OtpParams {
                    kind,
                    algorithm: Algorithm::Sha256,
                    digits: 8,
                },
                secret: Secret::from_bytes(&mut key).unwrap(),
            };
            Account::from_draft(draft, AccountId::parse(&id).unwrap()).unwrap()
        })
}

fn vault() -> impl Strategy<Value = Vault> {
    common::vault_of(account(), 5)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    /// Records as serde_json writes them (compact, as earlier releases stored them, and
    /// indented) read back to the same vault.
    #[test]
    fn records_written_by_serde_json_read_the_same(vault in vault()) {
        let value: serde_json::Value = serde_json::from_slice(&vault.to_bytes()).unwrap();
        let compact = serde_json::to_vec(&value).unwrap();
        prop_assert_eq!(Vault::from_bytes(&compact).unwrap(), vault.clone());
        let pretty = serde_json::to_vec_pretty(&value).unwrap();
        prop_assert_eq!(Vault::from_bytes(&pretty).unwrap(), vault);
    }

    /// What this build writes is JSON that serde_json reads to the values it was written from.
    #[test]
    fn records_written_now_are_json_that_serde_json_reads(vault in vault()) {
        let bytes = vault.to_bytes();
        let value: serde_json::Value = serde_json::from_slice(&bytes).unwrap();
        let accounts = value["accounts"].as_array().unwrap();
        prop_assert_eq!(accounts.len(), vault.accounts().len());
        prop_assert_eq!(value["revision"].as_u64(), Some(vault.revision));
        for (stored, account) in accounts.iter().zip(vault.accounts()) {
            prop_assert_eq!(stored["issuer"].as_str(), Some(account.issuer.as_str()));
            prop_assert_eq!(stored["name"].as_str(), Some(account.name.as_str()));
            prop_assert_eq!(stored["id"].as_str(), Some(account.id.as_str()));
        }
    }
}
