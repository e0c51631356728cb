//! Every real export in `../shared/interop/expected.json` imports to exactly the entries that
//! file lists: detected from its content, refused without its password and with a wrong one,
//! then read and compared field by field (issuer, name, key, type, algorithm, digits, period,
//! counter) in file order, and by the codes it generates at several times against codes computed
//! without the crate's generator (`tests/common/reference.rs`: HMAC from RustCrypto, and
//! `oathtool`).
//!
//! The fixtures are GPL-3.0 test data read in place from `../shared/interop/` (beside the
//! checkout), never copied here. Without that folder the test fails and names the path.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::path::PathBuf;

use common::reference::{oathtool_code, reference_code};
use serde_json::Value;
use toolbar_authenticator::otp::{Generator, OtpKind};
use toolbar_authenticator::secret::Secret;
use toolbar_authenticator::transfer::{self, Format, ImportedEntry, TransferError};

/// Times at which every time-based entry's codes are compared (2001, 2023, 2033, 2038 + 1 s).
const TIMES: [u64; 4] = [1_000_000_000, 1_700_000_000, 2_000_000_000, 2_147_483_648];

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

/// The crate's format for `expected.json`'s format id.
fn format_of(id: &str) -> Format {
    let table = [
        ("otpauth-uri-list", Format::OtpauthList),
        ("aegis-", Format::Aegis),
        ("2fas-", Format::TwoFas),
        ("andotp-", Format::AndOtp),
        ("stratum-", Format::Stratum),
        ("bitwarden-json", Format::BitwardenJson),
        ("bitwarden-csv", Format::BitwardenCsv),
        ("freeotpplus-", Format::FreeOtpPlus),
        ("proton-authenticator", Format::ProtonAuthenticator),
        ("steamguard-", Format::SteamGuard),
    ];
    table
        .iter()
        .find(|(prefix, _)| id.starts_with(prefix))
        .map(|(_, format)| *format)
        .unwrap_or_else(|| panic!("expected.json names format {id:?}: add it to format_of"))
}

/// Compares one imported entry with its expectation; returns the fields compared.
fn compare(file: &str, index: usize, got: &ImportedEntry, want: &Value) -> usize {
    let at = format!("{file} entry {}", index + 1);
    let mut checked = 0;
    for (field, value) in [("issuer", &got.issuer), ("name", &got.name)] {
        // null: the expectation does not state it (e.g. Bitwarden's steam:// entries).
        if let Some(expected) = want[field].as_str() {
            assert_eq!(value, expected, "{at}: {field}");
            checked += 1;
        }
    }
    let secret = Secret::from_base32(want["secret"].as_str().unwrap()).unwrap();
    assert!(got.secret == secret, "{at}: the key differs");
    let (kind, period, counter) = match got.params.kind {
        OtpKind::Totp { period } => ("totp", Some(u64::from(period)), None),
        OtpKind::Hotp { counter } => ("hotp", None, Some(counter)),
        OtpKind::Steam => ("steam", Some(30), None),
    };
    assert_eq!(kind, want["type"].as_str().unwrap(), "{at}: type");
    if let Some(algorithm) = want["algorithm"].as_str() {
        assert_eq!(got.params.algorithm.name(), algorithm, "{at}: algorithm");
        checked += 1;
    }
    assert_eq!(
        u64::from(got.params.digits),
        want["digits"].as_u64().unwrap(),
        "{at}: digits"
    );
    assert_eq!(period, want["period"].as_u64(), "{at}: period");
    assert_eq!(counter, want["counter"].as_u64(), "{at}: counter");
    checked + 6
}

/// Compares the imported entry's codes with codes made from the expectation's own key and
/// parameters without the crate's generator; returns how many codes were compared.
fn compare_codes(file: &str, index: usize, got: &ImportedEntry, want: &Value) -> usize {
    let key = Secret::from_base32(want["secret"].as_str().unwrap()).unwrap();
    let generator = Generator::new(&got.secret, got.params).unwrap();
    let times: &[u64] = match got.params.kind {
        OtpKind::Hotp { .. } => &TIMES[..1],
        _ => &TIMES,
    };
    let mut compared = 0;
    for &time in times {
        let ours = generator.code_at(time);
        let reference = reference_code(key.as_bytes(), got.params, time);
        assert_eq!(
            ours,
            reference,
            "{file} entry {}: code at {time}",
            index + 1
        );
        compared += 1;
        if let Some(oathtool) = oathtool_code(key.as_bytes(), got.params, time) {
            assert_eq!(
                ours,
                oathtool,
                "{file} entry {}: oathtool at {time}",
                index + 1
            );
            compared += 1;
        }
    }
    compared
}

#[test]
fn every_interop_fixture_imports_to_its_expected_entries() {
    let dir = interop_dir();
    let expected: Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("expected.json")).unwrap()).unwrap();
    let (mut files, mut entries, mut fields, mut codes) = (0, 0, 0, 0);
    for fixture in expected["fixtures"].as_array().unwrap() {
        let file = fixture["file"].as_str().unwrap();
        let format = format_of(fixture["format"].as_str().unwrap());
        let bytes = std::fs::read(dir.join(file))
            .unwrap_or_else(|e| panic!("{file} is listed in expected.json but unreadable: {e}"));
        let detected = transfer::detect(&bytes);
        let detected = detected.unwrap_or_else(|e| panic!("{file}: not recognised: {e}"));
        assert_eq!(detected.format, format, "{file}: detected format");
        let encrypted = fixture["encrypted"].as_bool().unwrap();
        assert_eq!(detected.encrypted, encrypted, "{file}: encrypted or not");
        let password = fixture["password"].as_str();
        if encrypted {
            let password = password.unwrap();
            let without = transfer::read(&bytes, None).unwrap_err();
            assert_eq!(without, TransferError::PasswordNeeded { format }, "{file}");
            let wrong = transfer::read(&bytes, Some("not the password")).unwrap_err();
            assert_eq!(wrong, TransferError::WrongPassword { format }, "{file}");
            assert!(!wrong.to_string().contains(password));
        }
        let import = transfer::read(&bytes, password)
            .unwrap_or_else(|e| panic!("{file}: {e} ({})", e.code()));
        assert_eq!(import.format, format, "{file}");
        assert!(import.batches.is_empty(), "{file}");
        let want = fixture["entries"].as_array().unwrap();
        assert_eq!(
            import.entries.len(),
            want.len(),
            "{file}: number of entries"
        );
        for (index, (candidate, want)) in import.entries.iter().zip(want).enumerate() {
            let got = candidate.as_ref().unwrap_or_else(|skipped| {
                panic!("{file} entry {} skipped: {}", index + 1, skipped.reason)
            });
            fields += compare(file, index, got, want);
            codes += compare_codes(file, index, got, want);
        }
        files += 1;
        entries += want.len();
    }
    eprintln!(
        "interop: {files} files, {entries} entries, {fields} fields and {codes} codes checked"
    );
    assert!(files > 0, "no fixture was checked");
}
