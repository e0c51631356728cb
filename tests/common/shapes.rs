//! Every account shape the export tests restore: TOTP with SHA-1/256/512, 6–8 digits and odd
//! periods, HOTP with counters up to 2^64 − 1, Steam, Unicode and empty labels.

use toolbar_authenticator::otp::{Algorithm, OtpKind, OtpParams};
use toolbar_authenticator::secret::Secret;
use toolbar_authenticator::transfer::ExportEntry;

/// One account: labels, parameters and the key bytes.
pub struct Shape {
    pub issuer: &'static str,
    pub name: &'static str,
    pub params: OtpParams,
    pub key: Vec<u8>,
}

fn totp(period: u32, algorithm: Algorithm, digits: u8) -> OtpParams {
    OtpParams {
        kind: OtpKind::Totp { period },
        algorithm,
        digits,
    }
}

fn hotp(counter: u64, algorithm: Algorithm, digits: u8) -> OtpParams {
    OtpParams {
        kind: OtpKind::Hotp { counter },
        algorithm,
        digits,
    }
}

/// Every shape the issue lists, each with its own key. Labels are as the vault stores them
/// (`account::clean_label` leaves them: trimmed, no invisible or direction characters).
pub fn shapes() -> Vec<Shape> {
    let steam = OtpParams {
        kind: OtpKind::Steam,
        algorithm: Algorithm::Sha1,
        digits: 5,
    };
    let rows: Vec<(&str, &str, OtpParams)> = vec![
        ("Example", "alice@example.com", totp(30, Algorithm::Sha1, 6)),
        ("SHA-256", "bob", totp(30, Algorithm::Sha256, 7)),
        ("SHA-512", "carol", totp(60, Algorithm::Sha512, 8)),
        ("Odd period", "one second", totp(1, Algorithm::Sha1, 6)),
        ("Odd period", "seven", totp(7, Algorithm::Sha256, 8)),
        ("Odd period", "a day", totp(86_400, Algorithm::Sha512, 7)),
        ("Counter", "zero", hotp(0, Algorithm::Sha1, 6)),
        (
            "Counter",
            "past 2^53",
            hotp((1 << 53) + 1, Algorithm::Sha1, 8),
        ),
        ("Counter", "u64 max", hotp(u64::MAX, Algorithm::Sha512, 8)),
        (
            "Counter",
            "sha256 large",
            hotp(987_654_321_012, Algorithm::Sha256, 7),
        ),
        ("Steam", "gaben", steam),
        ("Ünïcödé & Co", "名前@例え.jp", totp(30, Algorithm::Sha1, 6)),
        ("עברית", "🔐 dev:ops/1?x=y#z", totp(30, Algorithm::Sha1, 6)),
        ("", "no issuer", totp(30, Algorithm::Sha1, 6)),
        ("No name", "", hotp(3, Algorithm::Sha1, 6)),
        ("Forty-five", "seconds", totp(45, Algorithm::Sha1, 6)),
    ];
    rows.into_iter()
        .enumerate()
        .map(|(i, (issuer, name, params))| Shape {
            issuer,
            name,
            params,
            // 10 to 64 bytes, distinct for every shape.
            key: (0..10 + (i * 7) % 55)
                .map(|b| (b * 31 + i * 17) as u8)
                .collect(),
        })
        .collect()
}

pub fn secrets(shapes: &[Shape]) -> Vec<Secret> {
    shapes
        .iter()
        .map(|s| Secret::from_bytes(&mut s.key.clone()).unwrap())
        .collect()
}

pub fn entries<'a>(shapes: &'a [Shape], secrets: &'a [Secret]) -> Vec<ExportEntry<'a>> {
    shapes
        .iter()
        .zip(secrets)
        .map(|(shape, secret)| ExportEntry {
            issuer: shape.issuer,
            name: shape.name,
            params: shape.params,
            secret,
        })
        .collect()
}
