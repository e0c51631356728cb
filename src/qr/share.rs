//! The QR codes shown for a phone to scan: one account's `otpauth://` link (**Show QR code** in
//! the popup's edit view) and Google Authenticator's transfer codes (**Export to Google
//! Authenticator**). The links are built and encoded here, in one step, so that they never
//! leave WebAssembly as text: the view gets the drawn modules only.

use std::fmt;

use zeroize::Zeroizing;

use super::{QrError, QrMatrix, encode};
use crate::account::AccountDraft;
use crate::crypto::CryptoError;
use crate::transfer::ExportEntry;
use crate::transfer::google_migration::{ACCOUNTS_PER_LINK, Unrepresentable, export_links_with_id};
use crate::uri::format_uri;

/// The QR code of one account's `otpauth://` link, as [`format_uri`] writes it (issuer,
/// algorithm, digits and period or counter always written, so a phone app reads the same
/// account back). The link is zeroised once encoded.
///
/// # Errors
/// [`QrError::TextTooLong`] when the link does not fit in one code (labels of thousands of
/// characters).
pub fn account_code(entry: &ExportEntry<'_>) -> Result<QrMatrix, QrError> {
    let draft = AccountDraft {
        issuer: entry.issuer.to_owned(),
        name: entry.name.to_owned(),
        params: entry.params,
        secret: entry.secret.clone(),
    };
    let link = Zeroizing::new(format_uri(&draft));
    encode(&link)
}

/// What [`google_codes`] made: the transfer codes, part 1 first, and the accounts left out.
#[derive(Debug)]
pub struct GoogleCodes {
    /// One QR code per part of the batch ("1 of 3" is `codes[0]` of three).
    pub codes: Vec<QrMatrix>,
    /// Accounts Google Authenticator cannot hold, by their position in the input, with why.
    pub refused: Vec<(usize, Unrepresentable)>,
}

/// Why no transfer codes could be made.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ShareError {
    /// No random batch id could be drawn.
    Random,
    /// One account's transfer link alone does not fit in a QR code (very long labels).
    Qr(QrError),
}

impl ShareError {
    /// Stable machine-readable code.
    pub fn code(&self) -> &'static str {
        match self {
            Self::Random => "crypto.random",
            Self::Qr(error) => error.code(),
        }
    }
}

impl fmt::Display for ShareError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Random => fmt::Display::fmt(&CryptoError::Random, f),
            Self::Qr(error) => fmt::Display::fmt(error, f),
        }
    }
}

impl std::error::Error for ShareError {}

/// Google Authenticator transfer codes of `entries`: at most [`ACCOUNTS_PER_LINK`] accounts
/// each, numbered parts of one batch with a random id, as Google's own **Transfer accounts**
/// screen writes them. When ten accounts with long labels do not fit in one code, fewer go in
/// each (5, 2, then 1). Accounts the format cannot hold are in [`GoogleCodes::refused`],
/// never changed to fit. No account at all that fits gives no code.
///
/// # Errors
/// [`ShareError::Random`] without a random batch id; [`ShareError::Qr`] when one account
/// alone does not fit.
pub fn google_codes(entries: &[ExportEntry<'_>]) -> Result<GoogleCodes, ShareError> {
    let mut id = [0u8; 4];
    getrandom::fill(&mut id).map_err(|_| ShareError::Random)?;
    google_codes_with_id(entries, i32::from_le_bytes(id) & i32::MAX)
}

/// [`google_codes`] with a given batch id (tests, reproducible output).
///
/// # Errors
/// As [`google_codes`], without [`ShareError::Random`].
pub fn google_codes_with_id(
    entries: &[ExportEntry<'_>],
    batch_id: i32,
) -> Result<GoogleCodes, ShareError> {
    let mut last = None;
    for per_code in [ACCOUNTS_PER_LINK, 5, 2, 1] {
        let export = export_links_with_id(entries, per_code, batch_id);
        let links: Vec<Zeroizing<String>> = export.links.into_iter().map(Zeroizing::new).collect();
        match links.iter().map(|link| encode(link)).collect() {
            Ok(codes) => {
                return Ok(GoogleCodes {
                    codes,
                    refused: export.refused,
                });
            }
            Err(error) => last = Some(error),
        }
    }
    Err(ShareError::Qr(
        last.unwrap_or(QrError::TextTooLong { bytes: 0 }),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::otp::{Algorithm, OtpKind, OtpParams};
    use crate::qr::decode_luma;
    use crate::secret::Secret;
    use crate::transfer::google_migration;
    use crate::uri::parse_uri;

    /// Draws `m` at 2 pixels per module and reads it back with our decoder.
    fn read_back(m: &QrMatrix) -> String {
        let side = m.side() * 2;
        let luma: Vec<u8> = (0..side * side)
            .map(|i| {
                if m.is_dark_at((i % side) / 2, (i / side) / 2) {
                    0
                } else {
                    255
                }
            })
            .collect();
        let found = decode_luma(side, side, &luma).unwrap();
        assert_eq!(found.len(), 1);
        found[0].text().unwrap().to_owned()
    }

    fn params(kind: OtpKind, digits: u8) -> OtpParams {
        OtpParams {
            kind,
            algorithm: Algorithm::Sha1,
            digits,
        }
    }

    #[test]
    fn an_account_code_holds_its_link() {
        let secret = Secret::from_base32("JBSWY3DPEHPK3PXP").unwrap();
        let entry = ExportEntry {
            issuer: "Example",
            name: "alice@example.com",
            params: params(OtpKind::Totp { period: 60 }, 8),
            secret: &secret,
        };
        let link = read_back(&account_code(&entry).unwrap());
        let draft = parse_uri(&link).unwrap();
        assert_eq!(
            (draft.issuer.as_str(), draft.name.as_str()),
            ("Example", "alice@example.com")
        );
        assert_eq!(draft.params, entry.params);
        assert_eq!(draft.secret.as_bytes(), secret.as_bytes());
    }

    #[test]
    fn too_long_labels_are_refused_not_cut() {
        let secret = Secret::from_base32("JBSWY3DPEHPK3PXP").unwrap();
        let name = "n".repeat(3000);
        let entry = ExportEntry {
            issuer: "Example",
            name: &name,
            params: params(OtpKind::Totp { period: 30 }, 6),
            secret: &secret,
        };
        assert_eq!(account_code(&entry).unwrap_err().code(), "qr.text-too-long");
    }

    #[test]
    fn google_codes_hold_ten_accounts_each_and_list_what_they_cannot() {
        let secrets: Vec<Secret> = (0..23u8)
            .map(|i| Secret::from_bytes(&mut [i; 20]).unwrap())
            .collect();
        let names: Vec<String> = (0..23).map(|i| format!("user{i}@example.com")).collect();
        let mut entries: Vec<ExportEntry> = secrets
            .iter()
            .zip(&names)
            .map(|(secret, name)| ExportEntry {
                issuer: "Example",
                name,
                params: params(OtpKind::Totp { period: 30 }, 6),
                secret,
            })
            .collect();
        entries[3].params = params(OtpKind::Steam, 5);
        entries[7].params = params(OtpKind::Totp { period: 60 }, 6);
        entries[9].params = params(OtpKind::Totp { period: 30 }, 7);
        let made = google_codes_with_id(&entries, 77).unwrap();
        assert_eq!(
            made.refused,
            vec![
                (3, Unrepresentable::Steam),
                (7, Unrepresentable::Period(60)),
                (9, Unrepresentable::Digits(7))
            ]
        );
        // 20 accounts: two codes of ten.
        assert_eq!(made.codes.len(), 2);
        let text: String = made.codes.iter().map(|c| read_back(c) + "\n").collect();
        let import = crate::transfer::read(text.as_bytes(), None).unwrap();
        assert_eq!(import.entries.len(), 20);
        assert_eq!(
            import.batches,
            vec![google_migration::BatchStatus {
                batch_id: 77,
                parts: 2,
                read: vec![1, 2],
                missing: vec![],
            }]
        );
    }

    #[test]
    fn long_labels_put_fewer_accounts_in_each_code() {
        let secret = Secret::from_bytes(&mut [7; 32]).unwrap();
        let names: Vec<String> = (0..10).map(|i| format!("{i}{}", "x".repeat(150))).collect();
        let entries: Vec<ExportEntry> = names
            .iter()
            .map(|name| ExportEntry {
                issuer: "A rather long issuer name, as some sites have",
                name,
                params: params(OtpKind::Totp { period: 30 }, 6),
                secret: &secret,
            })
            .collect();
        let made = google_codes_with_id(&entries, 1).unwrap();
        assert_eq!(made.codes.len(), 2, "five accounts a code");
        assert!(made.refused.is_empty());
    }

    #[test]
    fn nothing_google_can_hold_gives_no_code() {
        let secret = Secret::from_bytes(&mut [1; 10]).unwrap();
        let entries = [ExportEntry {
            issuer: "Steam",
            name: "gamer",
            params: params(OtpKind::Steam, 5),
            secret: &secret,
        }];
        let made = google_codes_with_id(&entries, 1).unwrap();
        assert!(made.codes.is_empty());
        assert_eq!(made.refused, vec![(0, Unrepresentable::Steam)]);
    }
}
