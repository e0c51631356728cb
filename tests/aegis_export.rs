//! The **Aegis vault** export, proved by two readers that are not its writer: our Aegis reader
//! (through the import dispatch) and an independent decryption in Node.js
//! (`tests/node/aegis_decrypt.mjs`: Node's own scrypt and AES-256-GCM, following Aegis's
//! documented format), which checks every field Aegis needs and hands back the plaintext that
//! this test compares, field by field, with the accounts exported.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::path::PathBuf;
use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};

use common::shapes::{Shape, entries, secrets, shapes};
use serde_json::Value;
use toolbar_authenticator::otp::OtpKind;
use toolbar_authenticator::secret::Secret;
use toolbar_authenticator::transfer::{self, Format, aegis};

const PASSWORD: &str = "pässword for Aegis";

/// The shapes Aegis can hold: it reads HOTP counters as a Java `long`, so counters beyond
/// 2^63 − 1 (which no real service reaches) are left out here; the Node script refuses them.
fn aegis_shapes() -> Vec<Shape> {
    shapes()
        .into_iter()
        .filter(
            |s| !matches!(s.params.kind, OtpKind::Hotp { counter } if counter > i64::MAX as u64),
        )
        .collect()
}

/// Runs the Node script on `vault`; its stdout (the decrypted content) or a failure naming
/// what is missing.
fn node_decrypt(vault: &[u8]) -> Result<String, String> {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let script = root.join("tests/node/aegis_decrypt.mjs");
    let dir = root.join("target/test-aegis-export");
    std::fs::create_dir_all(&dir).unwrap();
    // Tests run in parallel in one process: one file per call.
    static CALLS: AtomicUsize = AtomicUsize::new(0);
    let call = CALLS.fetch_add(1, Ordering::Relaxed);
    let file = dir.join(format!("vault-{}-{call}.json", std::process::id()));
    std::fs::write(&file, vault).unwrap();
    let output = Command::new("node")
        .arg(&script)
        .arg(&file)
        .env("AEGIS_PASSWORD", PASSWORD)
        .output();
    let _ = std::fs::remove_file(&file);
    let output = output.unwrap_or_else(|e| {
        panic!("this test needs Node.js (`node` on PATH) to decrypt independently: {e}")
    });
    if output.status.success() {
        Ok(String::from_utf8(output.stdout).unwrap())
    } else {
        Err(String::from_utf8_lossy(&output.stderr).into_owned())
    }
}

#[test]
fn aegis_export_is_read_by_node_and_by_our_reader() {
    let shapes = aegis_shapes();
    let secrets = secrets(&shapes);
    let vault = aegis::write_encrypted(&entries(&shapes, &secrets), PASSWORD).unwrap();

    // Independent: Node's scrypt + AES-GCM, every field Aegis needs checked by the script.
    let plain = node_decrypt(&vault).unwrap_or_else(|e| panic!("Node refused the vault: {e}"));
    let content: Value = serde_json::from_str(&plain).unwrap();
    let written = content["entries"].as_array().unwrap();
    assert_eq!(written.len(), shapes.len());
    for (entry, shape) in written.iter().zip(&shapes) {
        let what = format!("{:?}/{:?}", shape.issuer, shape.name);
        assert_eq!(entry["issuer"], shape.issuer, "{what}");
        assert_eq!(entry["name"], shape.name, "{what}");
        let info = &entry["info"];
        let key = Secret::from_base32(info["secret"].as_str().unwrap()).unwrap();
        assert_eq!(key.as_bytes(), shape.key.as_slice(), "{what}: key");
        assert_eq!(info["algo"], shape.params.algorithm.name(), "{what}");
        assert_eq!(info["digits"], shape.params.digits, "{what}");
        match shape.params.kind {
            OtpKind::Totp { period } => {
                assert_eq!(
                    (entry["type"].as_str(), info["period"].as_u64()),
                    (Some("totp"), Some(period.into()))
                );
            }
            OtpKind::Hotp { counter } => {
                // serde_json reads the counter exactly (Node's numbers would round it).
                assert_eq!(
                    (entry["type"].as_str(), info["counter"].as_u64()),
                    (Some("hotp"), Some(counter))
                );
            }
            OtpKind::Steam => {
                assert_eq!(
                    (entry["type"].as_str(), info["period"].as_u64()),
                    (Some("steam"), Some(30))
                );
            }
        }
    }

    // Our reader, through the import dispatch.
    let import = transfer::read(&vault, Some(PASSWORD)).unwrap();
    assert_eq!(import.format, Format::Aegis);
    for (candidate, shape) in import.entries.iter().zip(&shapes) {
        let got = candidate.as_ref().unwrap();
        assert_eq!(
            (got.issuer.as_str(), got.name.as_str()),
            (shape.issuer, shape.name)
        );
        assert_eq!(got.params, shape.params);
        assert_eq!(got.secret.as_bytes(), shape.key.as_slice());
    }
    println!(
        "{} entries decrypted by Node and by our reader",
        shapes.len()
    );
}

#[test]
fn node_refuses_a_wrong_password_and_a_plain_vault() {
    let shapes = aegis_shapes();
    let secrets = secrets(&shapes[..2]);
    let entries = entries(&shapes[..2], &secrets);
    let vault = aegis::write_encrypted(&entries, "another password").unwrap();
    let error = node_decrypt(&vault).unwrap_err();
    assert!(error.contains("does not unwrap the master key"), "{error}");
    let plain = aegis::write_plain(&entries).unwrap();
    let error = node_decrypt(&plain).unwrap_err();
    assert!(error.contains("not encrypted"), "{error}");
}
