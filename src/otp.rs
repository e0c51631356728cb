//! One-time codes: HOTP (RFC 4226), TOTP (RFC 6238) and Steam Guard.
//!
//! Time is always an argument (`unix_seconds`); nothing here reads a clock.

use std::fmt;

use hmac::{Hmac, KeyInit, Mac};
use sha2::{Sha256, Sha512};

use crate::coded::{Coded, MessageValue};
use crate::counter_mac::CounterMac;
use crate::secret::Secret;

/// Longest TOTP period accepted: one day.
pub const MAX_PERIOD_SECONDS: u32 = 86_400;

/// The period people expect when a site says nothing.
pub const DEFAULT_PERIOD_SECONDS: u32 = 30;

/// Characters of a Steam Guard code, in Steam's order.
const STEAM_ALPHABET: &[u8; 26] = b"23456789BCDFGHJKMNPQRTVWXY";

/// Length of a Steam Guard code.
pub const STEAM_DIGITS: u8 = 5;

/// The HMAC hash function.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Algorithm {
    /// HMAC-SHA1, what almost every site uses.
    #[default]
    Sha1,
    /// HMAC-SHA256.
    Sha256,
    /// HMAC-SHA512.
    Sha512,
}

impl Algorithm {
    /// The name used in `otpauth://` URIs and the vault: `SHA1`, `SHA256`, `SHA512`.
    pub fn name(self) -> &'static str {
        match self {
            Self::Sha1 => "SHA1",
            Self::Sha256 => "SHA256",
            Self::Sha512 => "SHA512",
        }
    }

    /// Parses `SHA1`, `SHA256` or `SHA512`, in any case, with or without a hyphen.
    pub fn from_name(name: &str) -> Option<Self> {
        match name.to_ascii_uppercase().replace('-', "").as_str() {
            "SHA1" => Some(Self::Sha1),
            "SHA256" => Some(Self::Sha256),
            "SHA512" => Some(Self::Sha512),
            _ => None,
        }
    }
}

/// Which kind of one-time password, with its moving factor.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum OtpKind {
    /// Time-based: the counter is `floor(unix_seconds / period)`.
    Totp {
        /// Seconds each code is valid, 1 to [`MAX_PERIOD_SECONDS`].
        period: u32,
    },
    /// Counter-based: the counter is stored and incremented on demand.
    Hotp {
        /// The counter for the next code.
        counter: u64,
    },
    /// Steam Guard: SHA1, 30 s, five characters from Steam's alphabet.
    Steam,
}

/// Everything besides the key that decides a code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct OtpParams {
    /// TOTP, HOTP or Steam.
    pub kind: OtpKind,
    /// Hash function (always SHA1 for Steam).
    pub algorithm: Algorithm,
    /// Code length: 6 to 8 (5 for Steam).
    pub digits: u8,
}

impl Default for OtpParams {
    /// TOTP, SHA1, 6 digits, 30 seconds: what a site means when it says nothing.
    fn default() -> Self {
        Self {
            kind: OtpKind::Totp {
                period: DEFAULT_PERIOD_SECONDS,
            },
            algorithm: Algorithm::Sha1,
            digits: 6,
        }
    }
}

/// Why a set of parameters cannot produce codes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ParamsError {
    /// Digits outside 6–8.
    Digits(u64),
    /// Period outside 1 s – 1 day.
    Period(u64),
}

impl fmt::Display for ParamsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Digits(d) => write!(f, "Codes must have 6, 7 or 8 digits, not {d}."),
            Self::Period(0) => f.write_str("The period must be at least 1 second."),
            Self::Period(p) => write!(
                f,
                "The period must be between 1 and {MAX_PERIOD_SECONDS} seconds (one day), not {p}."
            ),
        }
    }
}

impl std::error::Error for ParamsError {}

impl Coded for ParamsError {
    fn code(&self) -> &'static str {
        match self {
            Self::Digits(_) => "params.digits",
            Self::Period(_) => "params.period",
        }
    }

    fn field(&self) -> Option<&'static str> {
        match self {
            Self::Digits(_) => Some("digits"),
            Self::Period(_) => Some("period"),
        }
    }

    fn detail(&self) -> Option<&'static str> {
        match self {
            Self::Period(0) => Some("params.period-zero"),
            _ => None,
        }
    }

    fn values(&self) -> Vec<MessageValue> {
        match self {
            Self::Digits(digits) => vec![MessageValue::Number(*digits)],
            Self::Period(0) => Vec::new(),
            Self::Period(period) => vec![
                MessageValue::Number(*period),
                MessageValue::number(MAX_PERIOD_SECONDS),
            ],
        }
    }
}

impl OtpParams {
    /// Checks digits and period, normalising Steam to SHA1 and 5 characters.
    ///
    /// # Errors
    /// [`ParamsError`] naming the value out of range.
    pub fn validated(self) -> Result<Self, ParamsError> {
        if self.kind == OtpKind::Steam {
            return Ok(Self {
                kind: OtpKind::Steam,
                algorithm: Algorithm::Sha1,
                digits: STEAM_DIGITS,
            });
        }
        if !(6..=8).contains(&self.digits) {
            return Err(ParamsError::Digits(self.digits.into()));
        }
        if let OtpKind::Totp { period } = self.kind
            && !(1..=MAX_PERIOD_SECONDS).contains(&period)
        {
            return Err(ParamsError::Period(period.into()));
        }
        Ok(self)
    }

    /// The period in seconds for time-based kinds (Steam: 30), `None` for HOTP.
    pub fn period(&self) -> Option<u32> {
        match self.kind {
            OtpKind::Totp { period } => Some(period),
            OtpKind::Steam => Some(DEFAULT_PERIOD_SECONDS),
            OtpKind::Hotp { .. } => None,
        }
    }
}

/// TOTP counter for a time: `floor(unix_seconds / period)` (T0 = 0). A period of 0 is treated
/// as 1 so this never divides by zero.
pub fn totp_counter(unix_seconds: u64, period: u32) -> u64 {
    unix_seconds / u64::from(period.max(1))
}

/// Milliseconds until the code for `period` changes, given the time in milliseconds.
pub fn millis_until_change(unix_millis: u64, period: u32) -> u64 {
    let period_ms = u64::from(period.max(1)) * 1000;
    period_ms - unix_millis % period_ms
}

/// Whole seconds left in the current period (1 to `period`), for a countdown.
pub fn seconds_remaining(unix_seconds: u64, period: u32) -> u32 {
    let period = period.max(1);
    // The remainder is < period, so it fits in u32.
    period - (unix_seconds % u64::from(period)) as u32
}

/// A key prepared for computing codes: the HMAC key schedule is done once, so each code costs
/// only the hashing of the 8-byte counter.
///
/// ```
/// use toolbar_authenticator::otp::{Algorithm, Generator, OtpKind, OtpParams};
/// use toolbar_authenticator::secret::Secret;
/// let secret = Secret::from_base32("GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ").unwrap();
/// let params = OtpParams { kind: OtpKind::Totp { period: 30 }, algorithm: Algorithm::Sha1, digits: 8 };
/// let generator = Generator::new(&secret, params).unwrap();
/// assert_eq!(generator.code_at(59), "94287082");
/// ```
#[derive(Clone)]
pub struct Generator {
    mac: KeyedMac,
    params: OtpParams,
}

/// HMAC state after absorbing the key; zeroised on drop (SHA-1: see [`CounterMac`]; SHA-2: by
/// the `zeroize` feature of `digest`).
#[derive(Clone)]
enum KeyedMac {
    Sha1(CounterMac),
    Sha256(Hmac<Sha256>),
    Sha512(Hmac<Sha512>),
}

impl fmt::Debug for Generator {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Generator")
            .field("params", &self.params)
            .finish_non_exhaustive()
    }
}

impl Generator {
    /// Prepares `secret` for codes with `params` (validated first).
    ///
    /// # Errors
    /// [`ParamsError`] when digits or period are out of range.
    pub fn new(secret: &Secret, params: OtpParams) -> Result<Self, ParamsError> {
        let params = params.validated()?;
        let key = secret.as_bytes();
        // HMAC accepts keys of any length, so these constructors cannot fail; the fallback keeps
        // the code free of unwrap all the same.
        let mac = match params.algorithm {
            Algorithm::Sha1 => KeyedMac::Sha1(CounterMac::new(key)),
            Algorithm::Sha256 => KeyedMac::Sha256(keyed(key)),
            Algorithm::Sha512 => KeyedMac::Sha512(keyed(key)),
        };
        Ok(Self { mac, params })
    }

    /// The parameters this generator uses.
    pub fn params(&self) -> OtpParams {
        self.params
    }

    /// The code for a raw counter value, whatever the kind.
    pub fn code_for_counter(&self, counter: u64) -> String {
        self.code_value(counter).as_str().to_owned()
    }

    /// The code for a raw counter value, without allocating.
    pub fn code_value(&self, counter: u64) -> Code {
        let binary = match &self.mac {
            KeyedMac::Sha1(mac) => dynamic_truncation(&mac.sign(counter)),
            KeyedMac::Sha256(mac) => truncated_mac(mac, counter),
            KeyedMac::Sha512(mac) => truncated_mac(mac, counter),
        };
        match self.params.kind {
            OtpKind::Steam => steam_code(binary),
            _ => decimal_code(binary, self.params.digits),
        }
    }

    /// The counter that decides the code shown at `unix_seconds`.
    fn counter_at(&self, unix_seconds: u64) -> u64 {
        match self.params.kind {
            OtpKind::Totp { period } => totp_counter(unix_seconds, period),
            OtpKind::Steam => totp_counter(unix_seconds, DEFAULT_PERIOD_SECONDS),
            OtpKind::Hotp { counter } => counter,
        }
    }

    /// The code shown at `unix_seconds`: for TOTP and Steam from the time, for HOTP from the
    /// stored counter (the time is then ignored).
    pub fn code_at(&self, unix_seconds: u64) -> String {
        self.code_for_counter(self.counter_at(unix_seconds))
    }

    /// [`Generator::code_at`] without allocating, for computing many codes at once.
    pub fn code_value_at(&self, unix_seconds: u64) -> Code {
        self.code_value(self.counter_at(unix_seconds))
    }

    /// The code that follows the one at `unix_seconds`: the next period's for TOTP and Steam,
    /// the next counter's for HOTP.
    pub fn next_code_at(&self, unix_seconds: u64) -> String {
        self.code_for_counter(self.counter_at(unix_seconds).saturating_add(1))
    }
}

/// One-shot code computation for `secret` and `params` at `unix_seconds`.
///
/// ```
/// use toolbar_authenticator::otp::{code_at, OtpParams};
/// use toolbar_authenticator::secret::Secret;
/// let secret = Secret::from_base32("GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ").unwrap();
/// assert_eq!(code_at(&secret, OtpParams::default(), 59).unwrap(), "287082");
/// ```
///
/// # Errors
/// [`ParamsError`] when digits or period are out of range.
pub fn code_at(
    secret: &Secret,
    params: OtpParams,
    unix_seconds: u64,
) -> Result<String, ParamsError> {
    Ok(Generator::new(secret, params)?.code_at(unix_seconds))
}

/// Puts a space in a code so it reads in groups: `123 456`, `123 4567`, `1234 5678`.
/// Steam codes and anything shorter than 6 are returned unchanged.
pub fn group_for_display(code: &str) -> String {
    let mut grouped = String::with_capacity(code.len() + 1);
    push_grouped(&mut grouped, code);
    grouped
}

/// Appends `code` grouped for reading (see [`group_for_display`]) without allocating.
pub fn push_grouped(out: &mut String, code: &str) {
    let split = match code.len() {
        6 | 7 => 3,
        8 => 4,
        _ => code.len(),
    };
    match (code.get(..split), code.get(split..)) {
        (Some(head), Some(tail)) if !tail.is_empty() => {
            out.push_str(head);
            out.push(' ');
            out.push_str(tail);
        }
        _ => out.push_str(code),
    }
}

fn keyed<M: KeyInit>(key: &[u8]) -> M {
    M::new_from_slice(key).unwrap_or_else(|_| M::new(&Default::default()))
}

/// The HMAC of the 8-byte big-endian `counter` under the prepared key, dynamically truncated.
fn truncated_mac<M: Mac + Clone>(mac: &M, counter: u64) -> u32 {
    let mut mac = mac.clone();
    mac.update(&counter.to_be_bytes());
    dynamic_truncation(&mac.finalize().into_bytes())
}

/// RFC 4226 §5.3: 31 bits from the offset given by the last nibble.
fn dynamic_truncation(digest: &[u8]) -> u32 {
    let offset = usize::from(digest.last().copied().unwrap_or(0) & 0x0f);
    let bytes = [
        digest.get(offset).copied().unwrap_or(0),
        digest.get(offset + 1).copied().unwrap_or(0),
        digest.get(offset + 2).copied().unwrap_or(0),
        digest.get(offset + 3).copied().unwrap_or(0),
    ];
    u32::from_be_bytes(bytes) & 0x7fff_ffff
}

/// A code held without allocation: up to 8 ASCII characters.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Code {
    chars: [u8; 8],
    len: usize,
}

impl Code {
    /// The code as text.
    pub fn as_str(&self) -> &str {
        // Only ASCII digits and Steam letters are ever stored.
        std::str::from_utf8(self.chars.get(..self.len).unwrap_or_default()).unwrap_or_default()
    }
}

/// The last `digits` decimal digits of `binary`, zero-padded (written by hand: this runs for
/// every code of every account each second, and the formatting machinery was a third of it).
fn decimal_code(binary: u32, digits: u8) -> Code {
    let mut code = Code {
        chars: [b'0'; 8],
        len: usize::from(digits).min(8),
    };
    let mut value = binary;
    for slot in code.chars[..code.len].iter_mut().rev() {
        *slot = b'0' + (value % 10) as u8;
        value /= 10;
    }
    code
}

fn steam_code(mut binary: u32) -> Code {
    let mut code = Code {
        chars: [0; 8],
        len: usize::from(STEAM_DIGITS),
    };
    for slot in code.chars[..code.len].iter_mut() {
        *slot = STEAM_ALPHABET[(binary % 26) as usize];
        binary /= 26;
    }
    code
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rfc_secret() -> Secret {
        Secret::from_base32("GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ").unwrap()
    }

    #[test]
    fn hotp_rfc4226_first_codes() {
        let params = OtpParams {
            kind: OtpKind::Hotp { counter: 0 },
            ..OtpParams::default()
        };
        let generator = Generator::new(&rfc_secret(), params).unwrap();
        assert_eq!(generator.code_for_counter(0), "755224");
        assert_eq!(generator.code_for_counter(9), "520489");
        assert_eq!(generator.code_at(12345), "755224");
        assert_eq!(generator.next_code_at(12345), "287082");
    }

    #[test]
    fn counter_is_floored_never_rounded() {
        assert_eq!(totp_counter(29, 30), 0);
        assert_eq!(totp_counter(30, 30), 1);
        assert_eq!(totp_counter(59, 30), 1);
        assert_eq!(totp_counter(u64::MAX, 1), u64::MAX);
        assert_eq!(totp_counter(100, 0), 100);
    }

    #[test]
    fn countdown() {
        assert_eq!(seconds_remaining(0, 30), 30);
        assert_eq!(seconds_remaining(29, 30), 1);
        assert_eq!(seconds_remaining(30, 30), 30);
        assert_eq!(millis_until_change(29_999, 30), 1);
        assert_eq!(millis_until_change(30_000, 30), 30_000);
    }

    #[test]
    fn next_totp_code_is_the_next_periods() {
        let generator = Generator::new(&rfc_secret(), OtpParams::default()).unwrap();
        assert_eq!(generator.next_code_at(10), generator.code_at(40));
    }

    #[test]
    fn validation_messages() {
        let bad_digits = OtpParams {
            digits: 9,
            ..OtpParams::default()
        };
        assert_eq!(
            bad_digits.validated().unwrap_err().to_string(),
            "Codes must have 6, 7 or 8 digits, not 9."
        );
        let zero_period = OtpParams {
            kind: OtpKind::Totp { period: 0 },
            ..OtpParams::default()
        };
        assert_eq!(
            zero_period.validated().unwrap_err().to_string(),
            "The period must be at least 1 second."
        );
        let day_plus = OtpParams {
            kind: OtpKind::Totp { period: 86_401 },
            ..OtpParams::default()
        };
        assert!(day_plus.validated().is_err());
        let steam = OtpParams {
            kind: OtpKind::Steam,
            algorithm: Algorithm::Sha512,
            digits: 8,
        };
        assert_eq!(steam.validated().unwrap().digits, 5);
        assert_eq!(steam.validated().unwrap().algorithm, Algorithm::Sha1);
    }

    #[test]
    fn grouping() {
        assert_eq!(group_for_display("123456"), "123 456");
        assert_eq!(group_for_display("1234567"), "123 4567");
        assert_eq!(group_for_display("12345678"), "1234 5678");
        assert_eq!(group_for_display("FR8RV"), "FR8RV");
    }

    #[test]
    fn algorithm_names() {
        for algorithm in [Algorithm::Sha1, Algorithm::Sha256, Algorithm::Sha512] {
            assert_eq!(Algorithm::from_name(algorithm.name()), Some(algorithm));
        }
        assert_eq!(Algorithm::from_name("sha-256"), Some(Algorithm::Sha256));
        assert_eq!(Algorithm::from_name("MD5"), None);
    }
}
