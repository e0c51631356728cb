//! Google Authenticator transfer links, from payloads this test writes byte by byte (its own
//! protobuf writer below, independent of the `prost` structs the crate decodes with): names
//! longer than 127 bytes, HOTP counters above 127 and up to `u64::MAX`, SHA-256 and SHA-512,
//! 8 digits, defaults left out, unknown fields, MD5 and keyless entries, and a three-part batch
//! with a part missing, pasted with other links. Codes are checked against
//! `tests/common/reference.rs`. Then a property: whatever `export_links` writes reads back
//! to the same accounts.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use base64ct::{Base64, Encoding};
use common::reference::{oathtool_code, reference_code};
use percent_encoding::{NON_ALPHANUMERIC, utf8_percent_encode};
use proptest::prelude::*;
use toolbar_authenticator::otp::{Algorithm, Generator, OtpKind, OtpParams};
use toolbar_authenticator::secret::Secret;
use toolbar_authenticator::transfer::google_migration::{
    Unrepresentable, export_links, export_links_with_id,
};
use toolbar_authenticator::transfer::{
    self, BatchStatus, Candidate, ExportEntry, Format, ImportedEntry, Skip,
};

/// A protobuf message under construction (wire types 0 and 2 are all the schema uses; 5 is
/// written as an unknown field).
#[derive(Default)]
struct Message(Vec<u8>);

impl Message {
    fn varint(&mut self, mut value: u64) {
        while value >= 0x80 {
            self.0.push((value as u8) | 0x80);
            value >>= 7;
        }
        self.0.push(value as u8);
    }

    fn number(mut self, field: u64, value: u64) -> Self {
        self.varint(field << 3);
        self.varint(value);
        self
    }

    fn bytes(mut self, field: u64, bytes: &[u8]) -> Self {
        self.varint(field << 3 | 2);
        self.varint(bytes.len() as u64);
        self.0.extend_from_slice(bytes);
        self
    }

    fn fixed32(mut self, field: u64, value: u32) -> Self {
        self.varint(field << 3 | 5);
        self.0.extend_from_slice(&value.to_le_bytes());
        self
    }
}

/// One `OtpParameters`; zero values are left out, as protobuf writers do.
struct Otp<'a> {
    secret: &'a [u8],
    name: &'a str,
    issuer: &'a str,
    algorithm: u64,
    digits: u64,
    kind: u64,
    counter: u64,
}

impl Otp<'_> {
    fn encode(&self) -> Message {
        let mut m = Message::default().bytes(1, self.secret);
        for (field, text) in [(2, self.name), (3, self.issuer)] {
            if !text.is_empty() {
                m = m.bytes(field, text.as_bytes());
            }
        }
        for (field, value) in [
            (4, self.algorithm),
            (5, self.digits),
            (6, self.kind),
            (7, self.counter),
        ] {
            if value != 0 {
                m = m.number(field, value);
            }
        }
        m
    }
}

const KEY: &[u8] = b"12345678901234567890";

fn otp<'a>(name: &'a str, issuer: &'a str) -> Otp<'a> {
    Otp {
        secret: KEY,
        name,
        issuer,
        algorithm: 1,
        digits: 1,
        kind: 2,
        counter: 0,
    }
}

/// A transfer link holding `otps`, as part `index` (from 0) of `size` in batch `id`.
fn link(otps: &[Message], batch: (u64, u64, u64), extra: Message) -> String {
    let mut payload = Message::default();
    for m in otps {
        payload = payload.bytes(1, &m.0);
    }
    let (size, index, id) = batch;
    let mut payload = payload
        .number(2, 1)
        .number(3, size)
        .number(4, index)
        .number(5, id);
    payload.0.extend_from_slice(&extra.0);
    let data = Base64::encode_string(&payload.0);
    format!(
        "otpauth-migration://offline?data={}",
        utf8_percent_encode(&data, NON_ALPHANUMERIC)
    )
}

fn entry(candidate: &Candidate) -> &ImportedEntry {
    candidate
        .as_ref()
        .unwrap_or_else(|s| panic!("skipped {}: {}", s.name, s.reason))
}

/// The entry's codes at a few times (HOTP: at its counter) against the reference and oathtool.
fn check_codes(entry: &ImportedEntry) {
    let generator = Generator::new(&entry.secret, entry.params).unwrap();
    for time in [59, 1_111_111_109, 2_000_000_000] {
        let ours = generator.code_at(time);
        let key = entry.secret.as_bytes();
        assert_eq!(
            ours,
            reference_code(key, entry.params, time),
            "{}",
            entry.name
        );
        if let Some(code) = oathtool_code(key, entry.params, time) {
            assert_eq!(ours, code, "{} (oathtool)", entry.name);
        }
    }
}

#[test]
fn own_payloads_read_field_by_field() {
    let long_name = "ü".repeat(100); // 200 bytes: a two-byte length varint
    let long_issuer = format!("{} Ltd", "Ω".repeat(70));
    let mut sha512 = otp("sha512@example.com", "Eight");
    (sha512.algorithm, sha512.digits) = (3, 2);
    let mut sha256 = otp("Example:sha256", "");
    sha256.algorithm = 2;
    let defaults = Otp {
        algorithm: 0,
        digits: 0,
        kind: 0,
        ..otp("defaults", "")
    };
    let hotp = |name, counter, algorithm| Otp {
        kind: 1,
        counter,
        algorithm,
        ..otp(name, "Counter Co")
    };
    let mut md5 = otp("md5", "Old");
    md5.algorithm = 4;
    let mut keyless = otp("nokey", "Empty");
    keyless.secret = b"";
    // Unknown fields inside an entry and in the payload: skipped.
    let with_unknown = otp("unknown fields", "Future")
        .encode()
        .number(99, 12345)
        .bytes(15, b"extra")
        .fixed32(16, 7);
    let otps = [
        otp(&long_name, &long_issuer).encode(),
        sha512.encode(),
        sha256.encode(),
        defaults.encode(),
        hotp("c128", 128, 1).encode(),
        hotp("c300", 300, 3).encode(),
        hotp("c2^32", (1 << 32) + 5, 2).encode(),
        hotp("cmax-1", u64::MAX - 1, 1).encode(),
        hotp("cmax", u64::MAX, 1).encode(),
        md5.encode(),
        keyless.encode(),
        with_unknown,
    ];
    let text = link(&otps, (1, 0, 42), Message::default().number(40, 1));
    let import = transfer::read(text.as_bytes(), None).unwrap();
    assert_eq!(import.format, Format::GoogleMigration);
    assert!(import.batches.is_empty(), "one part is not a batch");
    let e = &import.entries;
    assert_eq!(e.len(), otps.len());

    assert_eq!(entry(&e[0]).name, long_name);
    assert_eq!(entry(&e[0]).issuer, long_issuer);
    let p = entry(&e[1]).params;
    assert_eq!((p.algorithm, p.digits), (Algorithm::Sha512, 8));
    assert_eq!(p.kind, OtpKind::Totp { period: 30 });
    let sha256 = entry(&e[2]);
    assert_eq!(
        (sha256.issuer.as_str(), sha256.name.as_str()),
        ("Example", "sha256")
    );
    assert_eq!(sha256.params.algorithm, Algorithm::Sha256);
    assert_eq!(entry(&e[3]).params, OtpParams::default());
    let counters: Vec<_> = e[4..9].iter().map(|c| entry(c).params.kind).collect();
    assert_eq!(
        counters,
        [128, 300, (1 << 32) + 5, u64::MAX - 1, u64::MAX].map(|counter| OtpKind::Hotp { counter })
    );
    assert_eq!(entry(&e[5]).params.algorithm, Algorithm::Sha512);
    let md5 = e[9].as_ref().unwrap_err();
    assert_eq!((md5.issuer.as_str(), md5.name.as_str()), ("Old", "md5"));
    assert_eq!(md5.reason, Skip::Algorithm("MD5".into()));
    assert_eq!(e[10].as_ref().unwrap_err().reason, Skip::NoKey);
    assert_eq!(entry(&e[11]).issuer, "Future");
    for candidate in e.iter().filter_map(|c| c.as_ref().ok()) {
        assert_eq!(candidate.secret.as_bytes(), KEY);
        check_codes(candidate);
    }
}

#[test]
fn a_three_part_batch_with_a_part_missing_pasted_with_other_links() {
    let part = |index: u64, name: &str, key: &[u8]| {
        let otp = Otp {
            secret: key,
            ..otp(name, "Batch")
        };
        link(&[otp.encode()], (3, index, 777), Message::default())
    };
    let first = part(0, "one", KEY);
    // A tool that form-decoded the link turned `+` into spaces; the reader turns them back.
    // The key 0xfb… puts `+` into the link's base64.
    let third = part(2, "three", &[0xfb; 20]);
    assert!(third.contains("%2B"));
    let spaced = third.replace("%2B", " ");
    let text = format!(
        "\r\n  {first}  \r\n\r\notpauth://totp/Plain:link?secret=JBSWY3DPEHPK3PXP\r\n{spaced}\r\n{first}\r\n"
    );
    let import = transfer::read(text.as_bytes(), None).unwrap();
    assert_eq!(import.format, Format::OtpauthList, "mixed links");
    let names: Vec<_> = import
        .entries
        .iter()
        .map(|c| entry(c).name.as_str())
        .collect();
    assert_eq!(
        names,
        ["one", "link", "three"],
        "part 1 given twice is read once"
    );
    assert_eq!(entry(&import.entries[2]).secret.as_bytes(), [0xfb; 20]);
    assert_eq!(
        import.batches,
        [BatchStatus {
            batch_id: 777,
            parts: 3,
            read: vec![1, 3],
            missing: vec![2],
        }]
    );
    // Transfer links alone are Google's format.
    let import = transfer::read(format!("{third}\n{first}").as_bytes(), None).unwrap();
    assert_eq!(import.format, Format::GoogleMigration);
    assert_eq!(import.batches[0].read, [1, 3]);
}

#[test]
fn impossible_part_numbers_and_empty_payloads() {
    let bad = link(&[otp("x", "y").encode()], (3, 3, 1), Message::default());
    let import = transfer::read(bad.as_bytes(), None).unwrap();
    assert_eq!(
        import.entries[0].as_ref().unwrap_err().reason.code(),
        "import.damaged"
    );
    let huge = link(
        &[otp("x", "y").encode()],
        (100_000, 0, 1),
        Message::default(),
    );
    assert!(transfer::read(huge.as_bytes(), None).unwrap().entries[0].is_err());
    let empty = link(&[], (1, 0, 1), Message::default());
    assert_eq!(
        transfer::read(empty.as_bytes(), None).unwrap_err().code(),
        "transfer.empty"
    );
}

fn label() -> impl Strategy<Value = String> {
    prop_oneof![
        "[A-Za-z0-9 :@._-]{0,24}",
        "[^\\p{C}]{100,160}", // long, any script, colons included
    ]
    .prop_map(|s| s.trim().to_owned())
}

fn params() -> impl Strategy<Value = OtpParams> {
    let kind = prop_oneof![
        Just(OtpKind::Totp { period: 30 }),
        any::<u64>().prop_map(|counter| OtpKind::Hotp { counter }),
        Just(OtpKind::Steam),
        (1u32..=120).prop_map(|period| OtpKind::Totp { period }),
    ];
    let algorithm = prop_oneof![
        Just(Algorithm::Sha1),
        Just(Algorithm::Sha256),
        Just(Algorithm::Sha512)
    ];
    (kind, algorithm, prop_oneof![Just(6u8), Just(7), Just(8)]).prop_map(
        |(kind, algorithm, digits)| {
            OtpParams {
                kind,
                algorithm,
                digits,
            }
            .validated()
            .unwrap()
        },
    )
}

fn account() -> impl Strategy<Value = (String, String, OtpParams, Secret)> {
    let secret = proptest::collection::vec(any::<u8>(), 10..64)
        .prop_map(|mut bytes| Secret::from_bytes(&mut bytes).unwrap());
    (label(), label(), params(), secret)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    /// Whatever `export_links` writes, the import reads back: the same accounts in the same
    /// order, every part of the batch present; what it refused is exactly what Google cannot
    /// hold.
    #[test]
    fn export_then_import_gives_the_same_accounts(
        accounts in proptest::collection::vec(account(), 1..30),
        per_link in 1usize..12,
    ) {
        let entries: Vec<ExportEntry> = accounts
            .iter()
            .map(|(issuer, name, params, secret)| ExportEntry { issuer, name, params: *params, secret })
            .collect();
        let export = export_links(&entries, per_link).unwrap();
        let representable = |p: &OtpParams| {
            p.kind != OtpKind::Steam
                && matches!(p.digits, 6 | 8)
                && !matches!(p.kind, OtpKind::Totp { period } if period != 30)
        };
        let refused: Vec<usize> = export.refused.iter().map(|(i, _)| *i).collect();
        let expected_refused: Vec<usize> = (0..entries.len())
            .filter(|&i| !representable(&entries[i].params))
            .collect();
        prop_assert_eq!(&refused, &expected_refused);
        let kept: Vec<&ExportEntry> =
            entries.iter().filter(|e| representable(&e.params)).collect();
        prop_assert_eq!(export.links.len(), kept.len().div_ceil(per_link));
        if kept.is_empty() {
            return Ok(());
        }
        let text = export.links.join("\n");
        let import = transfer::read(text.as_bytes(), None).unwrap();
        prop_assert_eq!(import.entries.len(), kept.len());
        for (candidate, want) in import.entries.iter().zip(&kept) {
            let got = candidate.as_ref().unwrap();
            prop_assert_eq!(&got.issuer, want.issuer);
            prop_assert_eq!(&got.name, want.name);
            prop_assert_eq!(got.params, want.params);
            prop_assert!(&got.secret == want.secret);
        }
        for batch in &import.batches {
            prop_assert!(batch.missing.is_empty());
            prop_assert_eq!(batch.parts as usize, export.links.len());
        }
    }
}

#[test]
fn refusals_say_why() {
    let key = Secret::from_base32("JBSWY3DPEHPK3PXP").unwrap();
    let seven = OtpParams {
        digits: 7,
        ..OtpParams::default()
    };
    let export = export_links_with_id(
        &[ExportEntry {
            issuer: "I",
            name: "n",
            params: seven,
            secret: &key,
        }],
        10,
        5,
    );
    assert!(export.links.is_empty());
    assert_eq!(export.refused, [(0, Unrepresentable::Digits(7))]);
    assert_eq!(export.refused[0].1.code(), "google-export.digits");
}
