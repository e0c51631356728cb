//! Accounts coming in from other apps (and, later, going out to them): their export files,
//! Google Authenticator transfer links and our own backups. Pure Rust like the rest of the
//! core: bytes in, entries out; no browser, no clock.
//!
//! Each format is one module under this folder that reads the bytes into [`Candidate`]s, the
//! same shape for every format. Which module reads an input is decided from its content, never
//! from a file name. The Import and export page reaches this through bindings behind the
//! `transfer` cargo feature, so the popup's module never links it.

mod entry;
mod error;
mod input;

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

pub use entry::{Candidate, ImportedEntry, Skip, SkippedEntry};
pub use error::TransferError;
pub use input::{Detected, Input};

/// Largest input any reader accepts, in bytes (5 MiB: a 10,000-account encrypted Aegis vault
/// is about 3 MB). Larger inputs are refused with [`TransferError::TooLarge`] before parsing.
pub const MAX_INPUT_BYTES: usize = 5 * 1024 * 1024;

/// The formats that can be read, by the app that writes them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Format {
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
    pub const ALL: [Format; 12] = [
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
