//! The export writers read back by the import readers: an Aegis vault (plain, and encrypted
//! with a password) holds every account shape exactly, HOTP counters and odd labels included.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use proptest::prelude::*;
use proptest::strategy::ValueTree;
use toolbar_authenticator::otp::{Algorithm, OtpKind, OtpParams};
use toolbar_authenticator::secret::Secret;
use toolbar_authenticator::transfer::{self, ExportEntry, Format, TransferError, aegis};

fn params() -> impl Strategy<Value = OtpParams> {
    let kind = prop_oneof![
        (1u32..=86_400).prop_map(|period| OtpKind::Totp { period }),
        any::<u64>().prop_map(|counter| OtpKind::Hotp { counter }),
        Just(OtpKind::Steam),
    ];
    let algorithm = prop_oneof![
        Just(Algorithm::Sha1),
        Just(Algorithm::Sha256),
        Just(Algorithm::Sha512)
    ];
    (kind, algorithm, 6u8..=8).prop_map(|(kind, algorithm, digits)| {
        OtpParams {
            kind,
            algorithm,
            digits,
        }
        .validated()
        .unwrap()
    })
}

type Shape = (String, String, OtpParams, Secret);

fn account() -> impl Strategy<Value = Shape> {
    let secret = proptest::collection::vec(any::<u8>(), 10..80)
        .prop_map(|mut bytes| Secret::from_bytes(&mut bytes).unwrap());
    ("\\PC{0,40}", "\\PC{0,40}", params(), secret)
}

fn entries(accounts: &[Shape]) -> Vec<ExportEntry<'_>> {
    accounts
        .iter()
        .map(|(issuer, name, params, secret)| ExportEntry {
            issuer,
            name,
            params: *params,
            secret,
        })
        .collect()
}

/// `bytes` import to exactly `accounts`, in order.
fn assert_reads_back(bytes: &[u8], password: Option<&str>, accounts: &[Shape]) {
    let import = transfer::read(bytes, password).unwrap();
    assert_eq!(import.format, Format::Aegis);
    assert_eq!(import.entries.len(), accounts.len());
    for (candidate, (issuer, name, params, secret)) in import.entries.iter().zip(accounts) {
        let got = candidate.as_ref().unwrap();
        assert_eq!(
            (&got.issuer, &got.name, &got.params),
            (issuer, name, params)
        );
        assert!(got.secret == *secret);
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn plain_aegis_vault_round_trips(accounts in proptest::collection::vec(account(), 1..20)) {
        let bytes = aegis::write_plain(&entries(&accounts)).unwrap();
        assert_reads_back(&bytes, None, &accounts);
    }
}

/// One encrypted vault (scrypt at Aegis's own cost, so only a few runs) with every shape.
#[test]
fn encrypted_aegis_vault_round_trips_and_keeps_its_keys_secret() {
    let mut runner = proptest::test_runner::TestRunner::deterministic();
    let accounts = proptest::collection::vec(account(), 30)
        .new_tree(&mut runner)
        .unwrap()
        .current();
    let bytes = aegis::write_encrypted(&entries(&accounts), "correct horse").unwrap();
    let text = String::from_utf8(bytes.clone()).unwrap();
    for (_, _, _, secret) in &accounts {
        assert!(!text.contains(secret.to_base32().as_str()));
    }
    assert_eq!(
        transfer::read(&bytes, Some("Correct horse")).unwrap_err(),
        TransferError::WrongPassword {
            format: Format::Aegis
        }
    );
    assert_reads_back(&bytes, Some("correct horse"), &accounts);
}
