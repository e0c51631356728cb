//! Test support: the real exports in `../shared/interop/` and the entries `expected.json` says
//! each must import to. A test that needs them and does not find them fails, naming the path.

use std::path::PathBuf;

use serde_json::Value;

use super::{Candidate, ImportedEntry, Input};
use crate::otp::OtpKind;

/// `../shared/interop/`, beside the checkout. Panics naming the path when it is missing.
pub fn interop_dir() -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/interop");
    assert!(
        dir.join("expected.json").is_file(),
        "the interop fixtures are missing: {} (expected.json) not found; these tests need \
         ../shared/interop/ beside the checkout",
        dir.display()
    );
    dir
}

/// The bytes of one fixture, e.g. `andotp/andotp_plain.json`.
pub fn fixture(file: &str) -> Vec<u8> {
    let path = interop_dir().join(file);
    std::fs::read(&path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()))
}

/// The record of `expected.json` for `file`.
pub fn expectation(file: &str) -> Value {
    let path = interop_dir().join("expected.json");
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    let all: Value = serde_json::from_str(&text).expect("expected.json is JSON");
    all["fixtures"]
        .as_array()
        .expect("expected.json has fixtures")
        .iter()
        .find(|f| f["file"] == file)
        .unwrap_or_else(|| panic!("expected.json has no record for {file}"))
        .clone()
}

/// The password `expected.json` states for `file`.
pub fn password(file: &str) -> String {
    expectation(file)["password"]
        .as_str()
        .unwrap_or_else(|| panic!("expected.json states no password for {file}"))
        .to_owned()
}

/// Reads `file` with `read` and checks every entry field by field against `expected.json`
/// (fields it leaves null are not stated upstream and not checked). Returns how many entries
/// were checked.
pub fn check_fixture(
    file: &str,
    read: impl Fn(&Input) -> Result<Vec<Candidate>, super::TransferError>,
) -> usize {
    let bytes = fixture(file);
    let input = Input::new(&bytes).expect("fixture within the size limit");
    let candidates = read(&input).unwrap_or_else(|e| panic!("{file}: {e}"));
    let record = expectation(file);
    let expected = record["entries"].as_array().expect("entries");
    assert_eq!(candidates.len(), expected.len(), "{file}: entry count");
    for (i, (candidate, want)) in candidates.iter().zip(expected).enumerate() {
        let entry = candidate
            .as_ref()
            .unwrap_or_else(|skip| panic!("{file} entry {i} skipped: {}", skip.reason));
        check_entry(&format!("{file} entry {i}"), entry, want);
    }
    candidates.len()
}

/// Compares one entry with its expected record.
pub fn check_entry(what: &str, entry: &ImportedEntry, want: &Value) {
    if let Some(issuer) = want["issuer"].as_str() {
        assert_eq!(entry.issuer, issuer, "{what}: issuer");
    }
    if let Some(name) = want["name"].as_str() {
        assert_eq!(entry.name, name, "{what}: name");
    }
    assert_eq!(
        entry.secret.to_base32().as_str(),
        want["secret"].as_str().expect("secret"),
        "{what}: secret"
    );
    let (kind, period, counter) = match entry.params.kind {
        OtpKind::Totp { period } => ("totp", Some(u64::from(period)), None),
        OtpKind::Hotp { counter } => ("hotp", None, Some(counter)),
        OtpKind::Steam => ("steam", Some(30), None),
    };
    assert_eq!(Some(kind), want["type"].as_str(), "{what}: type");
    if let Some(algorithm) = want["algorithm"].as_str() {
        assert_eq!(
            entry.params.algorithm.name(),
            algorithm,
            "{what}: algorithm"
        );
    }
    assert_eq!(
        Some(u64::from(entry.params.digits)),
        want["digits"].as_u64(),
        "{what}: digits"
    );
    assert_eq!(period, want["period"].as_u64(), "{what}: period");
    assert_eq!(counter, want["counter"].as_u64(), "{what}: counter");
}
