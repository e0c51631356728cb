//! Google Authenticator's transfer links, `otpauth-migration://offline?data=…`: the export QR
//! codes of its "Transfer accounts" screen. `data` is base64 of a protobuf `MigrationPayload`
//! (Google's public schema, written out below for `prost`): the accounts, and which part of a
//! batch of QR codes this is.
//!
//! Reading: several links at once, in any order; unknown fields are skipped; secrets are raw
//! bytes; HOTP counters are read as unsigned 64-bit whatever their size. Each batch reports
//! which parts were read and which are missing ([`BatchStatus`]); a part given twice is read
//! once. Writing: [`export_links`], for "Export to Google Authenticator".
//!
//! Google's enums, as read here: digits 1 = 6, 2 = 8; algorithm 1 SHA-1, 2 SHA-256,
//! 3 SHA-512, 4 MD5 (skipped); type 1 HOTP, 2 TOTP. An unspecified (0) value means the default
//! (6 digits, SHA-1, TOTP), as protobuf omits fields holding 0.

use std::fmt;

use percent_encoding::{NON_ALPHANUMERIC, percent_decode_str, utf8_percent_encode};
use prost::Message;
use zeroize::{Zeroize, Zeroizing};

use super::TransferError;
use super::cipher;
use super::otpauth_list::lines;
use super::{Candidate, Detected, ExportEntry, Format, ImportedEntry, Input, Skip, SkippedEntry};
use crate::crypto::CryptoError;
use crate::otp::{Algorithm, DEFAULT_PERIOD_SECONDS, OtpKind, OtpParams};
use crate::secret::Secret;
use crate::uri::strip_prefix_ignore_case;

/// Most parts a batch may declare; Google writes 10 accounts per part, so this is 10,000
/// accounts. A link declaring more is damaged (and this bounds what a status lists).
pub const MAX_BATCH_PARTS: u32 = 1000;

/// How many accounts Google Authenticator puts in one transfer QR code.
pub const ACCOUNTS_PER_LINK: usize = 10;

const SCHEME: &str = "otpauth-migration://";

/// `MigrationPayload` (field numbers from Google's schema).
#[derive(Clone, PartialEq, Message)]
#[prost(skip_debug)]
struct Payload {
    #[prost(message, repeated, tag = "1")]
    otp_parameters: Vec<Parameters>,
    #[prost(int32, tag = "2")]
    version: i32,
    #[prost(int32, tag = "3")]
    batch_size: i32,
    #[prost(int32, tag = "4")]
    batch_index: i32,
    #[prost(int32, tag = "5")]
    batch_id: i32,
}

/// `MigrationPayload.OtpParameters`. The counter is `int64` in Google's schema; the varint is
/// the same bytes, read here as the unsigned counter it is.
#[derive(Clone, PartialEq, Message)]
#[prost(skip_debug)]
struct Parameters {
    #[prost(bytes = "vec", tag = "1")]
    secret: Vec<u8>,
    #[prost(string, tag = "2")]
    name: String,
    #[prost(string, tag = "3")]
    issuer: String,
    #[prost(int32, tag = "4")]
    algorithm: i32,
    #[prost(int32, tag = "5")]
    digits: i32,
    #[prost(int32, tag = "6")]
    kind: i32,
    #[prost(uint64, tag = "7")]
    counter: u64,
}

impl Drop for Parameters {
    fn drop(&mut self) {
        self.secret.zeroize();
    }
}

impl fmt::Debug for Payload {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Payload")
            .field("accounts", &self.otp_parameters.len())
            .field("batch_index", &self.batch_index)
            .field("batch_size", &self.batch_size)
            .finish_non_exhaustive()
    }
}

impl fmt::Debug for Parameters {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Parameters(<redacted>)")
    }
}

/// One batch of transfer QR codes: which parts were read and which are missing, as numbers
/// for the view to put into words ("2 of 3 parts imported, part 3 missing"). Parts are
/// numbered from 1, as Google shows them ("1 of 3").
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BatchStatus {
    /// Google's id of the batch (the same in every part).
    pub batch_id: i32,
    /// How many parts the batch has.
    pub parts: u32,
    /// The parts read, ascending.
    pub read: Vec<u32>,
    /// The parts not given, ascending.
    pub missing: Vec<u32>,
}

/// Reads transfer links one by one, remembering the batches they belong to.
#[derive(Debug, Default)]
pub struct Batches {
    /// (batch id, parts, parts read) in order of first appearance.
    seen: Vec<(i32, u32, Vec<u32>)>,
}

impl Batches {
    /// The entries of one `otpauth-migration://` link. A link that cannot be decoded yields one
    /// [`SkippedEntry`] saying so; a part already read yields nothing.
    pub fn read_link(&mut self, link: &str) -> Vec<Candidate> {
        let mut payload = match decode_link(link) {
            Ok(payload) => payload,
            Err(part) => return vec![damaged(part)],
        };
        let size = u32::try_from(payload.batch_size).unwrap_or(0);
        if size > 1 {
            let index = match u32::try_from(payload.batch_index) {
                Ok(index) if index < size && size <= MAX_BATCH_PARTS => index + 1,
                _ => return vec![damaged("import.damaged-part-number")],
            };
            let id = payload.batch_id;
            let slot = match self.seen.iter().position(|b| b.0 == id && b.1 == size) {
                Some(slot) => slot,
                None => {
                    self.seen.push((id, size, Vec::new()));
                    self.seen.len() - 1
                }
            };
            let read = &mut self.seen[slot].2;
            if read.contains(&index) {
                return Vec::new();
            }
            read.push(index);
        }
        payload.otp_parameters.iter_mut().map(candidate).collect()
    }

    /// The status of every batch of more than one part, in order of first appearance.
    pub fn finish(self) -> Vec<BatchStatus> {
        self.seen
            .into_iter()
            .map(|(batch_id, parts, mut read)| {
                read.sort_unstable();
                let missing = (1..=parts)
                    .filter(|p| read.binary_search(p).is_err())
                    .collect();
                BatchStatus {
                    batch_id,
                    parts,
                    read,
                    missing,
                }
            })
            .collect()
    }
}

/// Content check: some line of the text (not a JSON document) is a transfer link.
pub fn detect(input: &Input) -> Option<Detected> {
    if input.json.is_some() {
        return None;
    }
    lines(input.text?).any(is_link).then_some(Detected {
        format: Format::GoogleMigration,
        encrypted: false,
    })
}

/// Reads every transfer link in the text, in order (other lines are ignored; batch status is
/// dropped: [`super::read`] keeps it).
///
/// # Errors
/// None today; the `Result` keeps the shape every format has.
pub fn read(input: &Input, _password: Option<&str>) -> Result<Vec<Candidate>, TransferError> {
    let mut batches = Batches::default();
    Ok(input
        .text
        .map(lines)
        .into_iter()
        .flatten()
        .filter(|line| is_link(line))
        .flat_map(|line| batches.read_link(line))
        .collect())
}

/// True when `line` starts with `otpauth-migration://` (any case).
pub(crate) fn is_link(line: &str) -> bool {
    strip_prefix_ignore_case(line, SCHEME).is_some()
}

fn damaged(part: &'static str) -> Candidate {
    Err(SkippedEntry {
        issuer: String::new(),
        name: String::new(),
        reason: Skip::Damaged(part),
    })
}

/// The payload of a link, or which part of it is damaged (as the detail code of
/// [`Skip::Damaged`]).
fn decode_link(link: &str) -> Result<Payload, &'static str> {
    let rest = strip_prefix_ignore_case(link.trim(), SCHEME).ok_or("import.damaged-link")?;
    let query = rest.split_once('?').map_or("", |(_, query)| query);
    let query = query.split_once('#').map_or(query, |(query, _)| query);
    let data = query
        .split('&')
        .find_map(|pair| {
            let (key, value) = pair.split_once('=')?;
            key.eq_ignore_ascii_case("data").then_some(value)
        })
        .ok_or("import.damaged-data")?;
    // Percent-decoded without turning `+` into a space: `+` is a base64 character. A space is
    // what a `+` becomes when a tool form-decoded the link before us.
    let data = percent_decode_str(data)
        .decode_utf8()
        .map_err(|_| "import.damaged-data")?
        .replace(' ', "+");
    let bytes = Zeroizing::new(cipher::base64(&data).ok_or("import.damaged-data")?);
    Payload::decode(bytes.as_slice()).map_err(|_| "import.damaged-accounts")
}

/// One account of a payload. Its secret bytes move into the [`Secret`] (the copy is zeroised).
fn candidate(p: &mut Parameters) -> Candidate {
    let (issuer, name) = labels(&p.issuer, &p.name);
    let params = (|| {
        let kind = match p.kind {
            0 | 2 => OtpKind::Totp {
                period: DEFAULT_PERIOD_SECONDS,
            },
            1 => OtpKind::Hotp { counter: p.counter },
            other => return Err(Skip::kind(&format!("type {other}"))),
        };
        let algorithm = match p.algorithm {
            0 | 1 => Algorithm::Sha1,
            2 => Algorithm::Sha256,
            3 => Algorithm::Sha512,
            4 => return Err(Skip::algorithm("MD5")),
            other => return Err(Skip::algorithm(&format!("algorithm {other}"))),
        };
        let digits = match p.digits {
            0 | 1 => 6,
            2 => 8,
            _ => return Err(Skip::Field("digits")),
        };
        Ok(OtpParams {
            kind,
            algorithm,
            digits,
        })
    })();
    let secret = if p.secret.is_empty() {
        Err(Skip::NoKey)
    } else {
        Secret::from_bytes(&mut p.secret).map_err(Skip::Key)
    };
    ImportedEntry::candidate(issuer, name, params, secret)
}

/// Issuer and account name. Google's `name` is the link's label: it may start with
/// `issuer:`, which is dropped; without an issuer field, `a:b` is issuer `a`, name `b`.
fn labels(issuer: &str, name: &str) -> (String, String) {
    if !issuer.is_empty() {
        let name = name
            .strip_prefix(issuer)
            .and_then(|rest| rest.trim_start().strip_prefix(':'))
            .map_or(name, str::trim_start);
        return (issuer.to_owned(), name.to_owned());
    }
    match name.split_once(':') {
        Some((issuer, name)) => (issuer.trim().to_owned(), name.trim().to_owned()),
        None => (String::new(), name.to_owned()),
    }
}

/// What [`export_links`] wrote, and what it could not.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GoogleExport {
    /// The transfer links, part 1 first; each becomes one QR code.
    pub links: Vec<String>,
    /// The entries Google Authenticator cannot hold, by their position in the input.
    pub refused: Vec<(usize, Unrepresentable)>,
}

/// Why an account cannot go into a transfer link unchanged.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unrepresentable {
    /// Steam Guard codes: the format has no such type.
    Steam,
    /// A TOTP period other than 30 seconds: the format has no period.
    Period(u32),
    /// Digits other than 6 or 8.
    Digits(u8),
}

impl Unrepresentable {
    /// Stable machine-readable code.
    pub fn code(self) -> &'static str {
        match self {
            Self::Steam => "google-export.steam",
            Self::Period(_) => "google-export.period",
            Self::Digits(_) => "google-export.digits",
        }
    }
}

impl fmt::Display for Unrepresentable {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Steam => f.write_str("Google Authenticator cannot make Steam Guard codes."),
            Self::Period(p) => write!(
                f,
                "Google Authenticator only makes codes every 30 seconds, not every {p}."
            ),
            Self::Digits(d) => write!(
                f,
                "Google Authenticator only makes 6- or 8-digit codes, not {d}-digit ones."
            ),
        }
    }
}

/// Writes `entries` as Google Authenticator transfer links, at most `max_per_link` accounts
/// each ([`ACCOUNTS_PER_LINK`] is Google's own choice; 0 counts as 1), numbered parts of one
/// batch with a random id. Accounts the format cannot hold are listed in
/// [`GoogleExport::refused`], never silently changed. SHA-256 and SHA-512 are written as the
/// format allows, although older Google Authenticator versions ignore the algorithm.
///
/// # Errors
/// [`CryptoError::Random`] when no random batch id can be drawn.
pub fn export_links(
    entries: &[ExportEntry<'_>],
    max_per_link: usize,
) -> Result<GoogleExport, CryptoError> {
    let id = cipher::random::<4>()?;
    let batch_id = i32::from_le_bytes(*id) & i32::MAX;
    Ok(export_links_with_id(entries, max_per_link, batch_id))
}

/// [`export_links`] with a given batch id (tests, reproducible output).
pub fn export_links_with_id(
    entries: &[ExportEntry<'_>],
    max_per_link: usize,
    batch_id: i32,
) -> GoogleExport {
    let mut refused = Vec::new();
    let mut accounts = Vec::new();
    for (index, entry) in entries.iter().enumerate() {
        match parameters(entry) {
            Ok(p) => accounts.push(p),
            Err(reason) => refused.push((index, reason)),
        }
    }
    let chunks: Vec<&[Parameters]> = accounts.chunks(max_per_link.max(1)).collect();
    let size = i32::try_from(chunks.len()).unwrap_or(i32::MAX);
    let links = chunks
        .iter()
        .enumerate()
        .map(|(index, chunk)| {
            let payload = Payload {
                otp_parameters: chunk.to_vec(),
                version: 1,
                batch_size: size,
                batch_index: i32::try_from(index).unwrap_or(i32::MAX),
                batch_id,
            };
            let bytes = Zeroizing::new(payload.encode_to_vec());
            let data = Zeroizing::new(cipher::to_base64(&bytes));
            format!(
                "{SCHEME}offline?data={}",
                utf8_percent_encode(&data, NON_ALPHANUMERIC)
            )
        })
        .collect();
    GoogleExport { links, refused }
}

/// The transfer form of one account, or why it has none.
fn parameters(entry: &ExportEntry<'_>) -> Result<Parameters, Unrepresentable> {
    let (kind, counter) = match entry.params.kind {
        OtpKind::Steam => return Err(Unrepresentable::Steam),
        OtpKind::Totp { period: 30 } => (2, 0),
        OtpKind::Totp { period } => return Err(Unrepresentable::Period(period)),
        OtpKind::Hotp { counter } => (1, counter),
    };
    let digits = match entry.params.digits {
        6 => 1,
        8 => 2,
        other => return Err(Unrepresentable::Digits(other)),
    };
    let algorithm = match entry.params.algorithm {
        Algorithm::Sha1 => 1,
        Algorithm::Sha256 => 2,
        Algorithm::Sha512 => 3,
    };
    // Written so that [`labels`] reads back exactly these labels: the issuer prefix is added
    // only when the name alone would be read differently.
    let plain = if entry.issuer.is_empty() {
        !entry.name.contains(':')
    } else {
        labels(entry.issuer, entry.name).1 == entry.name
    };
    let name = if plain {
        entry.name.to_owned()
    } else {
        format!("{}:{}", entry.issuer, entry.name)
    };
    Ok(Parameters {
        secret: entry.secret.as_bytes().to_vec(),
        name,
        issuer: entry.issuer.to_owned(),
        algorithm,
        digits,
        kind,
        counter,
    })
}

/// For fuzzing: the payload decoder alone, on raw protobuf bytes.
#[doc(hidden)]
pub fn read_payload(bytes: &[u8]) -> Vec<Candidate> {
    match Payload::decode(bytes) {
        Ok(mut payload) => payload.otp_parameters.iter_mut().map(candidate).collect(),
        Err(_) => vec![damaged("import.damaged-accounts")],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn secret(text: &str) -> Secret {
        Secret::from_base32(text).unwrap()
    }

    fn entry<'a>(
        issuer: &'a str,
        name: &'a str,
        params: OtpParams,
        key: &'a Secret,
    ) -> ExportEntry<'a> {
        ExportEntry {
            issuer,
            name,
            params,
            secret: key,
        }
    }

    fn read_all(links: &[String]) -> (Vec<Candidate>, Vec<BatchStatus>) {
        let mut batches = Batches::default();
        let entries = links.iter().flat_map(|l| batches.read_link(l)).collect();
        (entries, batches.finish())
    }

    #[test]
    fn export_refuses_what_google_cannot_hold() {
        let key = secret("JBSWY3DPEHPK3PXP");
        let totp = |period, digits| OtpParams {
            kind: OtpKind::Totp { period },
            algorithm: Algorithm::Sha1,
            digits,
        };
        let steam = OtpParams {
            kind: OtpKind::Steam,
            algorithm: Algorithm::Sha1,
            digits: 5,
        };
        let entries = [
            entry("A", "a", totp(30, 6), &key),
            entry("B", "b", totp(30, 7), &key),
            entry("C", "c", totp(60, 6), &key),
            entry("D", "d", steam, &key),
            entry("E", "e", totp(30, 8), &key),
        ];
        let export = export_links_with_id(&entries, 10, 77);
        assert_eq!(
            export.refused,
            [
                (1, Unrepresentable::Digits(7)),
                (2, Unrepresentable::Period(60)),
                (3, Unrepresentable::Steam)
            ]
        );
        assert_eq!(export.links.len(), 1);
        let (read, batches) = read_all(&export.links);
        assert!(batches.is_empty(), "a single part is not a batch to report");
        let names: Vec<_> = read
            .iter()
            .map(|c| c.as_ref().unwrap().name.as_str())
            .collect();
        assert_eq!(names, ["a", "e"]);
        assert_eq!(read[1].as_ref().unwrap().params.digits, 8);
        assert!(Unrepresentable::Steam.to_string().contains("Steam"));
    }

    #[test]
    fn export_splits_into_numbered_parts_of_one_batch() {
        let key = secret("JBSWY3DPEHPK3PXP");
        let names: Vec<String> = (0..23).map(|i| format!("user{i}")).collect();
        let entries: Vec<_> = names
            .iter()
            .map(|n| entry("Co", n, OtpParams::default(), &key))
            .collect();
        let export = export_links(&entries, ACCOUNTS_PER_LINK).unwrap();
        assert_eq!(export.links.len(), 3);
        assert!(
            export
                .links
                .iter()
                .all(|l| l.starts_with("otpauth-migration://offline?data="))
        );
        let (read, batches) = read_all(&export.links);
        assert_eq!(read.len(), 23);
        assert_eq!(batches.len(), 1);
        assert_eq!(
            (batches[0].parts, batches[0].read.as_slice()),
            (3, &[1, 2, 3][..])
        );
        assert!(batches[0].missing.is_empty() && batches[0].batch_id >= 0);
    }

    #[test]
    fn labels_with_colons_survive_the_round_trip() {
        let key = secret("JBSWY3DPEHPK3PXP");
        for (issuer, name) in [
            ("", "a:b"),
            ("", ":"),
            ("Co", "Co:x"),
            ("Co", "Co : y"),
            ("A:B", "n"),
            ("", ""),
        ] {
            let export =
                export_links_with_id(&[entry(issuer, name, OtpParams::default(), &key)], 10, 1);
            let (read, _) = read_all(&export.links);
            let got = read[0].as_ref().unwrap();
            assert_eq!((got.issuer.as_str(), got.name.as_str()), (issuer, name));
        }
    }

    #[test]
    fn labels_as_google_writes_them() {
        assert_eq!(
            labels("Example", "Example:alice"),
            ("Example".into(), "alice".into())
        );
        assert_eq!(
            labels("Example", "alice"),
            ("Example".into(), "alice".into())
        );
        assert_eq!(
            labels("", "Example: alice"),
            ("Example".into(), "alice".into())
        );
        assert_eq!(labels("", "alice"), (String::new(), "alice".into()));
    }

    #[test]
    fn damaged_links_are_skipped_with_the_reason() {
        let mut batches = Batches::default();
        for (link, part) in [
            ("otpauth-migration://offline", "import.damaged-data"),
            (
                "otpauth-migration://offline?data=%%%",
                "import.damaged-data",
            ),
            (
                "otpauth-migration://offline?data=!!!!",
                "import.damaged-data",
            ),
            (
                "otpauth-migration://offline?data=CgE",
                "import.damaged-accounts",
            ),
        ] {
            let read = batches.read_link(link);
            assert_eq!(read.len(), 1, "{link}");
            assert_eq!(
                read[0].as_ref().unwrap_err().reason,
                Skip::Damaged(part),
                "{link}"
            );
        }
    }

    #[test]
    fn debug_output_never_shows_a_secret() {
        let mut p = Parameters::default();
        p.secret = b"0123456789".to_vec();
        p.name = "n".into();
        assert_eq!(format!("{p:?}"), "Parameters(<redacted>)");
        let payload = Payload {
            otp_parameters: vec![p],
            ..Payload::default()
        };
        assert!(!format!("{payload:?}").contains("48"));
    }
}
