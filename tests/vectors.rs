//! Published test vectors: RFC 4226 HOTP, RFC 6238 TOTP (with erratum 2866), Steam Guard, and the
//! `oathtool` reference runs, all read from `otp-vectors.json`.
//!
//! The vectors come from `../shared/vectors/otp-vectors.json` when it is there (a checkout beside
//! `shared/`), otherwise from the committed copy in `tests/data/`. When both exist they must be
//! identical, so the copy cannot go stale unnoticed.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::BTreeSet;
use std::path::Path;

use hmac::{Hmac, KeyInit, Mac};
use serde_json::Value;
use sha1::Sha1;
use toolbar_authenticator::otp::{Algorithm, Generator, OtpKind, OtpParams, code_at};
use toolbar_authenticator::secret::{Secret, SecretError};

const SHARED: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../shared/vectors/otp-vectors.json"
);
const COMMITTED: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/otp-vectors.json");

/// Every top-level section of the file, each covered by one test below. A new section makes
/// [`every_section_is_covered`] fail until a test reads it.
const SECTIONS: [&str; 5] = [
    "source",
    "hotp_rfc4226",
    "totp_rfc6238",
    "steam",
    "oathtool_checks",
];

fn read_json(path: &str) -> Option<Value> {
    let text = std::fs::read_to_string(path).ok()?;
    Some(serde_json::from_str(&text).unwrap_or_else(|e| panic!("{path} is not JSON: {e}")))
}

fn vectors() -> Value {
    let shared = read_json(SHARED);
    let committed = read_json(COMMITTED);
    match (shared, committed) {
        (Some(shared), Some(committed)) => {
            assert_eq!(
                shared, committed,
                "tests/data/otp-vectors.json differs from {SHARED}; copy the shared file over it"
            );
            shared
        }
        (Some(only), None) | (None, Some(only)) => only,
        (None, None) => panic!("neither {SHARED} nor {COMMITTED} exists"),
    }
}

fn str_of<'a>(value: &'a Value, key: &str) -> &'a str {
    value[key]
        .as_str()
        .unwrap_or_else(|| panic!("{key} is not a string in {value}"))
}

fn u64_of(value: &Value, key: &str) -> u64 {
    value[key]
        .as_u64()
        .unwrap_or_else(|| panic!("{key} is not an unsigned integer in {value}"))
}

fn array_of<'a>(value: &'a Value, key: &str) -> &'a [Value] {
    value[key]
        .as_array()
        .unwrap_or_else(|| panic!("{key} is not an array in {value}"))
}

fn algorithm(name: &str) -> Algorithm {
    Algorithm::from_name(name).unwrap_or_else(|| panic!("unknown algorithm {name}"))
}

/// A secret from the file's base32, checked against its ASCII form when the file gives one.
fn secret(base32: &str, ascii: Option<&str>) -> Secret {
    let secret = Secret::from_base32(base32).unwrap();
    if let Some(ascii) = ascii {
        assert_eq!(secret.as_bytes(), ascii.as_bytes(), "{base32} vs {ascii}");
    }
    secret
}

/// RFC 4226 HOTP written out from the RFC, independent of `src/`, for keys `Secret` refuses.
fn reference_hotp(key: &[u8], counter: u64, digits: u32) -> String {
    let mut mac = <Hmac<Sha1> as KeyInit>::new_from_slice(key).unwrap();
    mac.update(&counter.to_be_bytes());
    let digest = mac.finalize().into_bytes();
    let offset = usize::from(digest[digest.len() - 1] & 0x0f);
    let binary = u32::from_be_bytes(digest[offset..offset + 4].try_into().unwrap()) & 0x7fff_ffff;
    let value = u64::from(binary) % 10u64.pow(digits);
    format!("{value:0width$}", width = digits as usize)
}

fn hex_decode(hex: &str) -> Vec<u8> {
    assert!(hex.len().is_multiple_of(2), "odd-length hex {hex}");
    (0..hex.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&hex[i..i + 2], 16).unwrap())
        .collect()
}

#[test]
fn vector_file_is_found_and_copy_is_current() {
    let shared_present = Path::new(SHARED).exists();
    let committed_present = Path::new(COMMITTED).exists();
    assert!(shared_present || committed_present);
    // `vectors()` itself fails if the two differ.
    assert!(vectors().is_object());
}

#[test]
fn every_section_is_covered() {
    let file = vectors();
    let found: BTreeSet<&str> = file
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    let known: BTreeSet<&str> = SECTIONS.into_iter().collect();
    assert_eq!(
        found, known,
        "vector sections changed; add or remove tests to match"
    );
}

#[test]
fn hotp_rfc4226_every_counter() {
    let file = vectors();
    let hotp = &file["hotp_rfc4226"];
    let secret = secret(
        str_of(hotp, "secret_base32"),
        Some(str_of(hotp, "secret_ascii")),
    );
    let digits = u8::try_from(u64_of(hotp, "digits")).unwrap();
    let codes = array_of(hotp, "codes_by_counter");
    assert_eq!(codes.len(), 10, "RFC 4226 Appendix D lists counters 0-9");
    let base = OtpParams {
        kind: OtpKind::Hotp { counter: 0 },
        algorithm: Algorithm::Sha1,
        digits,
    };
    let by_counter = Generator::new(&secret, base).unwrap();
    for (counter, code) in codes.iter().enumerate() {
        let code = code.as_str().unwrap();
        let counter = u64::try_from(counter).unwrap();
        assert_eq!(
            by_counter.code_for_counter(counter),
            code,
            "counter {counter}"
        );
        // With the counter stored in the params, the time is ignored.
        let params = OtpParams {
            kind: OtpKind::Hotp { counter },
            ..base
        };
        let stored = Generator::new(&secret, params).unwrap();
        for t in [0, 59, 1_234_567_890, u64::MAX] {
            assert_eq!(stored.code_at(t), code, "counter {counter} at {t}");
            assert_eq!(code_at(&secret, params, t).unwrap(), code);
        }
        if counter > 0 {
            let previous = OtpParams {
                kind: OtpKind::Hotp {
                    counter: counter - 1,
                },
                ..base
            };
            let previous = Generator::new(&secret, previous).unwrap();
            assert_eq!(previous.next_code_at(0), code, "next after {}", counter - 1);
        }
    }
}

#[test]
fn totp_rfc6238_all_eighteen() {
    let file = vectors();
    let totp = &file["totp_rfc6238"];
    let digits = u8::try_from(u64_of(totp, "digits")).unwrap();
    let period = u32::try_from(u64_of(totp, "period")).unwrap();
    let secrets = totp["secrets"].as_object().unwrap();
    let cases = array_of(totp, "cases");
    assert_eq!(secrets.len(), 3);
    assert_eq!(cases.len(), 6);
    let mut checked = 0;
    for (name, key) in secrets {
        let algorithm = algorithm(name);
        let secret = secret(str_of(key, "base32"), Some(str_of(key, "ascii")));
        let params = OtpParams {
            kind: OtpKind::Totp { period },
            algorithm,
            digits,
        };
        let generator = Generator::new(&secret, params).unwrap();
        for case in cases {
            let time = u64_of(case, "time");
            let expected = str_of(case, name);
            assert_eq!(generator.code_at(time), expected, "{name} at {time}");
            assert_eq!(code_at(&secret, params, time).unwrap(), expected);
            // Every second of the same period gives the same code.
            let start = time - time % u64::from(period);
            assert_eq!(generator.code_at(start), expected, "{name} at {start}");
            assert_eq!(
                generator.code_at(start + u64::from(period) - 1),
                expected,
                "{name} at end of period of {time}"
            );
            // The previous period's "next code" is this one.
            if start >= u64::from(period) {
                assert_eq!(generator.next_code_at(start - 1), expected);
            }
            // Shorter codes are the low digits of the same number.
            for short in 6..digits {
                let params = OtpParams {
                    digits: short,
                    ..params
                };
                let tail = &expected[usize::from(digits - short)..];
                assert_eq!(code_at(&secret, params, time).unwrap(), tail);
            }
            checked += 1;
        }
    }
    assert_eq!(checked, 18, "3 algorithms x 6 times");
}

#[test]
fn steam_guard_codes() {
    let file = vectors();
    let steam = file["steam"].as_array().unwrap();
    assert!(!steam.is_empty());
    for case in steam {
        let secret = secret(str_of(case, "secret_base32"), None);
        let time = u64_of(case, "time");
        let expected = str_of(case, "code");
        // Steam always means SHA1 and five characters, whatever else the params say.
        for (algorithm, digits) in [(Algorithm::Sha1, 5), (Algorithm::Sha512, 8)] {
            let params = OtpParams {
                kind: OtpKind::Steam,
                algorithm,
                digits,
            };
            let generator = Generator::new(&secret, params).unwrap();
            assert_eq!(generator.code_at(time), expected, "steam at {time}");
            assert_eq!(code_at(&secret, params, time).unwrap(), expected);
            let start = time - time % 30;
            assert_eq!(generator.code_at(start), expected);
            assert_eq!(generator.code_at(start + 29), expected);
        }
    }
}

/// One `oathtool_checks` command line, understood.
struct OathtoolCheck {
    key: Vec<u8>,
    counter: u64,
    digits: u32,
}

fn parse_oathtool_args(args: &str) -> OathtoolCheck {
    let mut words = args.split_whitespace();
    assert_eq!(words.next(), Some("oathtool"), "{args}");
    let mut base32 = false;
    let mut counter = 0;
    let mut digits = 6;
    let mut key = None;
    while let Some(word) = words.next() {
        match word {
            "--hotp" => {}
            "-b" | "--base32" => base32 = true,
            "-c" | "--counter" => counter = words.next().unwrap().parse().unwrap(),
            "-d" | "--digits" => digits = words.next().unwrap().parse().unwrap(),
            other if other.starts_with("--counter=") => {
                counter = other["--counter=".len()..].parse().unwrap();
            }
            other if other.starts_with("--digits=") => {
                digits = other["--digits=".len()..].parse().unwrap();
            }
            other if !other.starts_with('-') && key.is_none() => key = Some(other),
            other => panic!("oathtool option {other} in {args:?} is not understood by this test"),
        }
    }
    let key = key.unwrap_or_else(|| panic!("no key in {args:?}"));
    let key = if base32 {
        Secret::from_base32(key).unwrap().as_bytes().to_vec()
    } else {
        hex_decode(key)
    };
    OathtoolCheck {
        key,
        counter,
        digits,
    }
}

/// These entries record what `oathtool` itself prints (HOTP, SHA1). Most use the one-byte key
/// `00`, which `Secret` rightly refuses (RFC 4226 asks for at least 80 bits), so they are checked
/// against an RFC 4226 computation written out here; keys `Secret` accepts are also checked
/// against the crate. `tests/oathtool.rs` runs the same command lines through the installed
/// `oathtool` to make sure the tool it cross-checks against is sound.
#[test]
fn oathtool_reference_checks() {
    let file = vectors();
    let checks = file["oathtool_checks"].as_array().unwrap();
    assert!(!checks.is_empty());
    let mut via_crate = 0;
    for check in checks {
        let args = str_of(check, "args");
        let expected = str_of(check, "code");
        let parsed = parse_oathtool_args(args);
        assert_eq!(
            reference_hotp(&parsed.key, parsed.counter, parsed.digits),
            expected,
            "{args}"
        );
        let mut key = parsed.key.clone();
        match Secret::from_bytes(&mut key) {
            Ok(secret) => {
                let params = OtpParams {
                    kind: OtpKind::Hotp {
                        counter: parsed.counter,
                    },
                    algorithm: Algorithm::Sha1,
                    digits: u8::try_from(parsed.digits).unwrap(),
                };
                assert_eq!(code_at(&secret, params, 0).unwrap(), expected, "{args}");
                via_crate += 1;
            }
            Err(error) => {
                assert!(parsed.key.len() < 10, "{args}: {error:?}");
                assert_eq!(
                    error,
                    SecretError::TooShort {
                        bits: parsed.key.len() * 8
                    }
                );
            }
        }
    }
    assert!(
        via_crate >= 1,
        "at least the base32 RFC key goes through the crate"
    );
}

#[test]
fn reference_hotp_agrees_with_rfc4226() {
    // The independent implementation above is itself checked against the RFC.
    let file = vectors();
    let hotp = &file["hotp_rfc4226"];
    let key = str_of(hotp, "secret_ascii").as_bytes();
    for (counter, code) in array_of(hotp, "codes_by_counter").iter().enumerate() {
        assert_eq!(
            reference_hotp(key, u64::try_from(counter).unwrap(), 6),
            code.as_str().unwrap()
        );
    }
}
