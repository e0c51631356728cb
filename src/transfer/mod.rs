//! Accounts coming in from other apps (and, later, going out to them): their export files,
//! Google Authenticator transfer links and our own backups. Pure Rust like the rest of the
//! core: bytes in, entries out; no browser, no clock.
//!
//! Each format is one module under this folder that reads the bytes into [`Candidate`]s, the
//! same shape for every format. Which module reads an input is decided from its content, never
//! from a file name. The Import and export page reaches this through bindings behind the
//! `transfer` cargo feature, so the popup's module never links it.

pub mod aegis;
pub mod auto_backup;
pub mod backup;
mod cipher;
mod entry;
mod error;
pub mod google_migration;
mod input;
mod json;
pub mod otpauth_list;
pub mod preview;
pub mod two_fas;

pub mod andotp;
pub mod authenticator_extension;
pub mod bitwarden;
pub mod bitwarden_csv;
pub mod freeotp_plus;
mod json_fields;
pub mod proton;
pub mod steam_guard;
pub mod stratum;
#[cfg(test)]
mod test_fixtures;
mod unseal;

pub use entry::{Candidate, ExportEntry, ImportedEntry, Skip, SkippedEntry};
pub use error::{Damage, TransferError};
pub use google_migration::BatchStatus;
pub use input::{Detected, Input};
pub use preview::{ImportPreview, Row};

/// Largest input any reader accepts, in bytes (5 MiB: a 10,000-account encrypted Aegis vault
/// is about 3 MB). Larger inputs are refused with [`TransferError::TooLarge`] before parsing.
pub const MAX_INPUT_BYTES: usize = 5 * 1024 * 1024;

/// The formats that can be read, by the app that writes them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Format {
    /// Our own encrypted backup (`toolbar-authenticator-backup-YYYY-MM-DD.json`).
    Backup,
    /// `otpauth://` links, one per line (also Ente Auth's and the Authenticator extension's
    /// plain text exports).
    OtpauthList,
    /// Google Authenticator's `otpauth-migration://offline?data=…` transfer links.
    GoogleMigration,
    /// Aegis vault JSON, plain or encrypted.
    Aegis,
    /// 2FAS `.2fas` / JSON, schemas 1–4, plain or encrypted.
    TwoFas,
    /// andOTP JSON, plain or encrypted (PBKDF2 or the old SHA-256 layout).
    AndOtp,
    /// Stratum / Authenticator Pro, plain or encrypted (Argon2id, or legacy PBKDF2 + CBC).
    Stratum,
    /// Bitwarden's JSON export.
    BitwardenJson,
    /// Bitwarden's CSV export.
    BitwardenCsv,
    /// FreeOTP+ JSON.
    FreeOtpPlus,
    /// Proton Authenticator JSON.
    ProtonAuthenticator,
    /// Steam's own Steam Guard JSON (`shared_secret`).
    SteamGuard,
    /// The Authenticator browser extension's JSON backups, plain or encrypted.
    AuthenticatorExtension,
}

impl Format {
    /// Every format, in the order they are listed to a person.
    pub const ALL: [Format; 13] = [
        Format::Backup,
        Format::OtpauthList,
        Format::GoogleMigration,
        Format::Aegis,
        Format::TwoFas,
        Format::AndOtp,
        Format::Stratum,
        Format::BitwardenJson,
        Format::BitwardenCsv,
        Format::FreeOtpPlus,
        Format::ProtonAuthenticator,
        Format::SteamGuard,
        Format::AuthenticatorExtension,
    ];

    /// Stable identifier, used by the bindings and in message keys.
    pub fn id(self) -> &'static str {
        match self {
            Self::Backup => "backup",
            Self::OtpauthList => "otpauth-list",
            Self::GoogleMigration => "google-migration",
            Self::Aegis => "aegis",
            Self::TwoFas => "2fas",
            Self::AndOtp => "andotp",
            Self::Stratum => "stratum",
            Self::BitwardenJson => "bitwarden-json",
            Self::BitwardenCsv => "bitwarden-csv",
            Self::FreeOtpPlus => "freeotp-plus",
            Self::ProtonAuthenticator => "proton-authenticator",
            Self::SteamGuard => "steam-guard",
            Self::AuthenticatorExtension => "authenticator-extension",
        }
    }

    /// The app's name as people know it.
    pub fn app_name(self) -> &'static str {
        match self {
            Self::Backup => "Toolbar Authenticator backup",
            Self::OtpauthList => "otpauth:// links",
            Self::GoogleMigration => "Google Authenticator",
            Self::Aegis => "Aegis",
            Self::TwoFas => "2FAS",
            Self::AndOtp => "andOTP",
            Self::Stratum => "Stratum / Authenticator Pro",
            Self::BitwardenJson => "Bitwarden (JSON)",
            Self::BitwardenCsv => "Bitwarden (CSV)",
            Self::FreeOtpPlus => "FreeOTP+",
            Self::ProtonAuthenticator => "Proton Authenticator",
            Self::SteamGuard => "Steam Guard",
            Self::AuthenticatorExtension => "Authenticator extension",
        }
    }
}

/// Everything read from one input: what the preview shows before anything is stored.
#[derive(Debug)]
pub struct Import {
    /// The format recognised. For pasted links: [`Format::GoogleMigration`] when every link is
    /// a transfer link, [`Format::OtpauthList`] otherwise.
    pub format: Format,
    /// Every entry, importable or not, in input order.
    pub entries: Vec<Candidate>,
    /// For Google Authenticator transfers split over several QR codes: each batch's parts
    /// read and missing (empty for every other input).
    pub batches: Vec<BatchStatus>,
}

/// One file format's reader: how it recognises its input from the content, and reads it.
struct Reader {
    detect: fn(&Input) -> Option<Detected>,
    read: fn(&Input, Option<&str>) -> Result<Vec<Candidate>, TransferError>,
}

/// The file formats, in detection order. Each recognises its own JSON keys or binary layout, so
/// no two claim the same input; links (one per line) are tried after all of them.
const READERS: &[Reader] = &[
    Reader {
        detect: backup::detect,
        read: backup::read,
    },
    Reader {
        detect: aegis::detect,
        read: aegis::read,
    },
    Reader {
        detect: two_fas::detect,
        read: two_fas::read,
    },
    Reader {
        detect: stratum::detect,
        read: stratum::read,
    },
    Reader {
        detect: bitwarden::detect,
        read: bitwarden::read,
    },
    Reader {
        detect: bitwarden_csv::detect,
        read: bitwarden_csv::read,
    },
    Reader {
        detect: freeotp_plus::detect,
        read: freeotp_plus::read,
    },
    Reader {
        detect: proton::detect,
        read: proton::read,
    },
    Reader {
        detect: steam_guard::detect,
        read: steam_guard::read,
    },
    Reader {
        detect: authenticator_extension::detect,
        read: authenticator_extension::read,
    },
    Reader {
        detect: andotp::detect,
        read: andotp::read,
    },
    // Last: andOTP's encrypted files have no magic number, so it claims binary input that no
    // format before it recognised (never text, and never an image).
];

/// Recognises `bytes` (a file, or pasted text) from its content.
///
/// # Errors
/// [`TransferError::TooLarge`] over [`MAX_INPUT_BYTES`], [`TransferError::UnknownFormat`] when
/// no format recognises it.
pub fn detect(bytes: &[u8]) -> Result<Detected, TransferError> {
    let input = Input::new(bytes)?;
    READERS
        .iter()
        .find_map(|reader| (reader.detect)(&input))
        .or_else(|| links_format(&input))
        .ok_or(TransferError::UnknownFormat)
}

/// Reads `bytes` (a file, or text pasted into **Text to import**: `otpauth://` and
/// `otpauth-migration://` links, mixed, one per line) into the entries a preview shows.
/// `password` is for encrypted files; plain inputs ignore it.
///
/// # Errors
/// [`TransferError`]: too large, unknown format, a password needed or wrong, a damaged file, an
/// unsupported version, key derivation beyond the limits, or no entry at all.
pub fn read(bytes: &[u8], password: Option<&str>) -> Result<Import, TransferError> {
    let input = Input::new(bytes)?;
    let found = READERS
        .iter()
        .find_map(|reader| Some(((reader.detect)(&input)?, reader.read)));
    let import = match found {
        Some((detected, read)) => Import {
            format: detected.format,
            entries: read(&input, password)?,
            batches: Vec::new(),
        },
        None => match (links_format(&input), input.text) {
            (Some(detected), Some(text)) => read_links(text, detected.format),
            _ => return Err(TransferError::UnknownFormat),
        },
    };
    if import.entries.is_empty() {
        return Err(TransferError::Empty {
            format: import.format,
        });
    }
    Ok(import)
}

/// The format of a text of links: Google's when every link is a transfer link.
fn links_format(input: &Input) -> Option<Detected> {
    let list = otpauth_list::detect(input);
    let google = google_migration::detect(input);
    list.or(google)
}

/// Reads links one per line: `otpauth://` ones, transfer links, and anything else as a skipped
/// line, all in input order.
fn read_links(text: &str, format: Format) -> Import {
    let mut batches = google_migration::Batches::default();
    let mut entries = Vec::new();
    for line in otpauth_list::lines(text) {
        if google_migration::is_link(line) {
            entries.extend(batches.read_link(line));
        } else {
            entries.push(otpauth_list::read_line(line));
        }
    }
    Import {
        format,
        entries,
        batches: batches.finish(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn what_is_not_understood_says_so() {
        for input in [
            &b""[..],
            b"hello",
            b"{\"some\": \"json\"}",
            b"[1, 2]",
            b"\xff\xfe binary",
        ] {
            assert_eq!(
                detect(input),
                Err(TransferError::UnknownFormat),
                "{input:?}"
            );
            assert_eq!(read(input, None).unwrap_err(), TransferError::UnknownFormat);
        }
        // The issue's 10 MB input is refused by its size before any parsing.
        let big = vec![b'{'; 10 * 1024 * 1024];
        assert_eq!(
            read(&big, Some("pw")).unwrap_err(),
            TransferError::TooLarge { bytes: big.len() }
        );
    }

    #[test]
    fn a_readable_file_without_entries_is_empty() {
        let aegis =
            br#"{"version": 1, "header": {"slots": null}, "db": {"version": 3, "entries": []}}"#;
        assert_eq!(
            read(aegis, None).unwrap_err(),
            TransferError::Empty {
                format: Format::Aegis
            }
        );
    }

    #[test]
    fn links_are_detected_by_kind() {
        let link = b"otpauth://totp/A:a?secret=JBSWY3DPEHPK3PXP";
        assert_eq!(detect(link).unwrap().format, Format::OtpauthList);
        let migration = b"otpauth-migration://offline?data=";
        assert_eq!(detect(migration).unwrap().format, Format::GoogleMigration);
        let import = read(link, Some("ignored")).unwrap();
        assert_eq!(import.format, Format::OtpauthList);
        assert_eq!(import.entries.len(), 1);
    }
}
