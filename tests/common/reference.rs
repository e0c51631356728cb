//! Codes computed without the crate's code generator, to check imported accounts against:
//! HMAC straight from the RustCrypto crates (not the crate's prepared `CounterMac`), and Debian's
//! `oathtool` when it is installed (`OATHTOOL_REQUIRED=1` makes its absence a failure, as in
//! `tests/oathtool.rs`).

use std::fmt::Write as _;
use std::process::Command;
use std::sync::OnceLock;

use hmac::{Hmac, KeyInit, Mac};
use sha1::Sha1;
use sha2::{Sha256, Sha512};
use toolbar_authenticator::otp::{Algorithm, OtpKind, OtpParams};

const STEAM_ALPHABET: &[u8] = b"23456789BCDFGHJKMNPQRTVWXY";

/// HMAC of the counter, big-endian, under `key`.
fn hmac(key: &[u8], algorithm: Algorithm, counter: u64) -> Vec<u8> {
    let message = counter.to_be_bytes();
    match algorithm {
        Algorithm::Sha1 => {
            let mut mac = <Hmac<Sha1> as KeyInit>::new_from_slice(key).unwrap();
            mac.update(&message);
            mac.finalize().into_bytes().to_vec()
        }
        Algorithm::Sha256 => {
            let mut mac = <Hmac<Sha256> as KeyInit>::new_from_slice(key).unwrap();
            mac.update(&message);
            mac.finalize().into_bytes().to_vec()
        }
        Algorithm::Sha512 => {
            let mut mac = <Hmac<Sha512> as KeyInit>::new_from_slice(key).unwrap();
            mac.update(&message);
            mac.finalize().into_bytes().to_vec()
        }
    }
}

/// RFC 4226's dynamic truncation: 31 bits from the offset the last nibble names.
fn truncate(mac: &[u8]) -> u32 {
    let offset = usize::from(mac[mac.len() - 1] & 0x0f);
    u32::from_be_bytes(mac[offset..offset + 4].try_into().unwrap()) & 0x7fff_ffff
}

/// The counter `params` use at `time` (HOTP: its own counter).
pub fn counter_at(params: OtpParams, time: u64) -> u64 {
    match params.kind {
        OtpKind::Totp { period } => time / u64::from(period),
        OtpKind::Steam => time / 30,
        OtpKind::Hotp { counter } => counter,
    }
}

/// The code for `key` and `params` at `time`, from the RFC definitions and Steam's alphabet.
pub fn reference_code(key: &[u8], params: OtpParams, time: u64) -> String {
    let mut value = truncate(&hmac(key, params.algorithm, counter_at(params, time)));
    if params.kind == OtpKind::Steam {
        return (0..5)
            .map(|_| {
                let c = STEAM_ALPHABET[(value % 26) as usize];
                value /= 26;
                char::from(c)
            })
            .collect();
    }
    let modulus = 10u32.pow(u32::from(params.digits));
    format!(
        "{:0width$}",
        value % modulus,
        width = usize::from(params.digits)
    )
}

/// True when `oathtool` runs; when it does not and `OATHTOOL_REQUIRED=1`, fails.
pub fn oathtool_available() -> bool {
    static AVAILABLE: OnceLock<bool> = OnceLock::new();
    *AVAILABLE.get_or_init(|| {
        let ok = Command::new("oathtool")
            .arg("--version")
            .output()
            .is_ok_and(|o| o.status.success());
        let required = std::env::var("OATHTOOL_REQUIRED").is_ok_and(|v| v == "1");
        assert!(
            ok || !required,
            "oathtool is not installed and OATHTOOL_REQUIRED=1: `apt-get install oathtool`"
        );
        if !ok {
            eprintln!("*** oathtool not found: codes are checked against the HMAC reference only");
        }
        ok
    })
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().fold(String::new(), |mut s, b| {
        let _ = write!(s, "{b:02x}");
        s
    })
}

/// The code `oathtool` gives for `key` and `params` at `time`; `None` for Steam (oathtool has
/// no Steam mode), for HOTP beyond what it takes, or when it is not installed. HOTP with
/// SHA-256/512 (which `--hotp` lacks) is TOTP with a one-second step at time = counter.
pub fn oathtool_code(key: &[u8], params: OtpParams, time: u64) -> Option<String> {
    if !oathtool_available() {
        return None;
    }
    let digits = format!("--digits={}", params.digits);
    let args = match (params.kind, params.algorithm) {
        (OtpKind::Steam, _) => return None,
        (OtpKind::Totp { period }, algorithm) => vec![
            format!("--totp={}", algorithm.name()),
            format!("--time-step-size={period}s"),
            format!("--now=@{time}"),
        ],
        (OtpKind::Hotp { counter }, Algorithm::Sha1) => {
            vec!["--hotp".into(), format!("--counter={counter}")]
        }
        (OtpKind::Hotp { counter }, _) if counter < 1 << 40 => vec![
            format!("--totp={}", params.algorithm.name()),
            "--time-step-size=1s".into(),
            format!("--now=@{counter}"),
        ],
        (OtpKind::Hotp { .. }, _) => return None,
    };
    let output = Command::new("oathtool")
        .args(&args)
        .arg(&digits)
        .arg(hex(key))
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "oathtool {args:?} failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    Some(String::from_utf8(output.stdout).unwrap().trim().to_owned())
}
