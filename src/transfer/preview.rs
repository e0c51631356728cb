//! What the Import page shows before anything is stored, and what it then stores: an
//! [`Import`] turned into rows, each compared with the accounts already in the vault.
//!
//! The rules live here, not in the page: how an entry becomes an account (labels cleaned as the
//! add form cleans them, through [`Account::from_draft`]), what counts as "already in your list"
//! (the same key and parameters as a stored account, whatever its labels), and what an entry
//! with neither issuer nor name is called. The chosen rows are stored through
//! [`crate::vault::Edit::Import`], one vault write.

use std::fmt;

use super::{BatchStatus, Format, Import, Skip};
use crate::account::{Account, AccountDraft, AccountError, AccountId};
use crate::coded::{Coded, MessageValue};
use crate::otp::{OtpKind, OtpParams};

/// One entry of the input, as the preview shows it, in input order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Row {
    /// Can be imported.
    Ready {
        /// The account as it would be stored: labels cleaned, parameters validated.
        /// [`ImportPreview::chosen`] gives it a fresh id each time, so choosing twice never
        /// stores it twice (the vault leaves the second copy out as identical).
        account: Account,
        /// The same key and parameters as an account already stored (so the page leaves it
        /// unchecked).
        duplicate: bool,
        /// The entry had neither issuer nor name, so it is named with the caller's label for
        /// unnamed accounts.
        unnamed: bool,
    },
    /// Read, but cannot be imported.
    Skipped {
        /// The service, as the input has it (may be empty).
        issuer: String,
        /// The account, as the input has it (may be empty).
        name: String,
        /// Why.
        reason: Refusal,
    },
}

/// Why one entry cannot be imported.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    /// The format's reader refused it (no key, MD5, a damaged part…).
    Entry(Skip),
    /// The vault would refuse it (e.g. a label over [`crate::account::MAX_LABEL_CHARS`]).
    Account(AccountError),
}

impl Refusal {
    /// Stable machine-readable code (`import.*` from the reader, `account.*` from the vault).
    pub fn code(&self) -> &'static str {
        match self {
            Self::Entry(skip) => skip.code(),
            Self::Account(AccountError::LabelTooLong { .. }) => "account.label-too-long",
            Self::Account(AccountError::Unnamed) => "account.unnamed",
            Self::Account(_) => "account.invalid",
        }
    }
}

/// Why the chosen rows cannot be turned into accounts. Nothing is stored when this happens.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ChoiceError {
    /// A chosen row does not exist or cannot be imported (names the 0-based row).
    NotImportable {
        /// The row.
        row: usize,
    },
    /// No fresh account id could be drawn.
    Account(AccountError),
}

impl ChoiceError {
    /// Stable machine-readable code.
    pub fn code(&self) -> &'static str {
        match self {
            Self::NotImportable { .. } => "import.choice",
            Self::Account(_) => "account.random",
        }
    }
}

impl fmt::Display for ChoiceError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::NotImportable { row } => write!(
                f,
                "Entry {} of the preview cannot be imported; choose among the entries with a check box.",
                row + 1
            ),
            Self::Account(error) => error.fmt(f),
        }
    }
}

impl std::error::Error for ChoiceError {}

impl Coded for ChoiceError {
    fn code(&self) -> &'static str {
        ChoiceError::code(self)
    }

    /// The row as the preview numbers it, from 1.
    fn values(&self) -> Vec<MessageValue> {
        match self {
            Self::NotImportable { row } => vec![MessageValue::number(row.saturating_add(1))],
            Self::Account(_) => Vec::new(),
        }
    }
}

/// Everything the preview shows: the format, a row per entry, and Google batch status.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportPreview {
    /// The format recognised.
    pub format: Format,
    /// One row per entry, in input order.
    pub rows: Vec<Row>,
    /// For Google Authenticator transfers split over several QR codes: parts read and missing.
    pub batches: Vec<BatchStatus>,
}

impl ImportPreview {
    /// Turns what a reader found into preview rows, marking each importable entry that has the
    /// same key and parameters as one of `stored`. An entry with neither issuer nor name gets
    /// `unnamed_label` as its name (the page passes its own words, e.g. "Unnamed account"), so
    /// it can be stored and renamed later.
    pub fn new(import: Import, stored: &[Account], unnamed_label: &str) -> Self {
        let rows = import
            .entries
            .into_iter()
            .map(|candidate| match candidate {
                Ok(entry) => {
                    let draft = AccountDraft {
                        issuer: entry.issuer,
                        name: entry.name,
                        params: entry.params,
                        secret: entry.secret,
                    };
                    ready_row(draft, stored, unnamed_label)
                }
                Err(skipped) => Row::Skipped {
                    issuer: skipped.issuer,
                    name: skipped.name,
                    reason: Refusal::Entry(skipped.reason),
                },
            })
            .collect();
        Self {
            format: import.format,
            rows,
            batches: import.batches,
        }
    }

    /// How many rows can be imported.
    pub fn importable(&self) -> usize {
        self.rows
            .iter()
            .filter(|row| matches!(row, Row::Ready { .. }))
            .count()
    }

    /// The accounts of the chosen rows (0-based, any order, repeats ignored), in input order,
    /// each with a fresh random id, ready for [`crate::vault::Edit::Import`].
    ///
    /// # Errors
    /// [`ChoiceError::NotImportable`] for a row that does not exist or was skipped;
    /// [`ChoiceError::Account`] when the system gives no random numbers.
    pub fn chosen(&self, rows: &[usize]) -> Result<Vec<Account>, ChoiceError> {
        let mut rows = rows.to_vec();
        rows.sort_unstable();
        rows.dedup();
        rows.into_iter()
            .map(|row| match self.rows.get(row) {
                Some(Row::Ready { account, .. }) => {
                    let mut account = account.clone();
                    account.id = AccountId::random().map_err(ChoiceError::Account)?;
                    Ok(account)
                }
                _ => Err(ChoiceError::NotImportable { row }),
            })
            .collect()
    }
}

/// An importable entry as a row: the vault's own checks, the unnamed label, the duplicate mark.
fn ready_row(draft: AccountDraft, stored: &[Account], unnamed_label: &str) -> Row {
    let (issuer, name) = (draft.issuer.clone(), draft.name.clone());
    let mut unnamed = false;
    let account =
        AccountId::random().and_then(|id| match Account::from_draft(draft.clone(), id.clone()) {
            Err(AccountError::Unnamed) => {
                unnamed = true;
                Account::from_draft(
                    AccountDraft {
                        name: unnamed_label.to_owned(),
                        ..draft
                    },
                    id,
                )
            }
            other => other,
        });
    match account {
        Ok(account) => Row::Ready {
            duplicate: stored.iter().any(|s| same_key_and_params(s, &account)),
            account,
            unnamed,
        },
        Err(error) => Row::Skipped {
            issuer,
            name,
            reason: Refusal::Account(error),
        },
    }
}

/// "Already in your list": the same key, kind, algorithm, digits and period. An HOTP
/// counter does not count: the stored one has moved on with every code used since the backup.
pub fn same_key_and_params(a: &Account, b: &Account) -> bool {
    a.secret == b.secret && same_params(a.params, b.params)
}

fn same_params(a: OtpParams, b: OtpParams) -> bool {
    let kind = match (a.kind, b.kind) {
        (OtpKind::Totp { period: x }, OtpKind::Totp { period: y }) => x == y,
        (OtpKind::Hotp { .. }, OtpKind::Hotp { .. }) | (OtpKind::Steam, OtpKind::Steam) => true,
        _ => false,
    };
    kind && a.algorithm == b.algorithm && a.digits == b.digits
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::account::MAX_LABEL_CHARS;
    use crate::otp::Algorithm;
    use crate::secret::Secret;
    use crate::transfer::{ImportedEntry, SkippedEntry, read};

    const KEY: &str = "JBSWY3DPEHPK3PXP";

    fn entry(issuer: &str, name: &str, kind: OtpKind, key: &str) -> ImportedEntry {
        ImportedEntry {
            issuer: issuer.into(),
            name: name.into(),
            params: OtpParams {
                kind,
                ..OtpParams::default()
            },
            secret: Secret::from_base32(key).unwrap(),
        }
    }

    fn stored(issuer: &str, kind: OtpKind, key: &str) -> Account {
        let e = entry(issuer, "me", kind, key);
        let draft = AccountDraft {
            issuer: e.issuer,
            name: e.name,
            params: e.params,
            secret: e.secret,
        };
        Account::from_draft(draft, AccountId::random().unwrap()).unwrap()
    }

    fn preview(entries: Vec<super::super::Candidate>, stored: &[Account]) -> ImportPreview {
        let import = Import {
            format: Format::OtpauthList,
            entries,
            batches: Vec::new(),
        };
        ImportPreview::new(import, stored, "Unnamed account")
    }

    #[test]
    fn duplicates_are_the_same_key_and_parameters_whatever_the_labels() {
        let other_key = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";
        let list = [
            stored("Stored", OtpKind::Totp { period: 30 }, KEY),
            stored("Counter", OtpKind::Hotp { counter: 40 }, other_key),
        ];
        let p = preview(
            vec![
                Ok(entry("Renamed", "x", OtpKind::Totp { period: 30 }, KEY)),
                Ok(entry(
                    "Other period",
                    "x",
                    OtpKind::Totp { period: 60 },
                    KEY,
                )),
                // An older backup of an HOTP account: its counter is behind the stored one.
                Ok(entry(
                    "Counter",
                    "me",
                    OtpKind::Hotp { counter: 3 },
                    other_key,
                )),
                Ok(entry("New", "x", OtpKind::Steam, KEY)),
            ],
            &list,
        );
        let marks: Vec<bool> = p
            .rows
            .iter()
            .map(|row| {
                matches!(
                    row,
                    Row::Ready {
                        duplicate: true,
                        ..
                    }
                )
            })
            .collect();
        assert_eq!(marks, [true, false, true, false]);
        assert_eq!(p.importable(), 4);
    }

    #[test]
    fn labels_are_cleaned_and_unnamed_entries_named() {
        let p = preview(
            vec![
                Ok(entry("  Example ", " alice ", OtpKind::Steam, KEY)),
                Ok(entry(" ", "", OtpKind::Steam, KEY)),
            ],
            &[],
        );
        let Row::Ready { account, .. } = &p.rows[0] else {
            panic!("{:?}", p.rows[0]);
        };
        assert_eq!(
            (account.issuer.as_str(), account.name.as_str()),
            ("Example", "alice")
        );
        assert_eq!(account.params.digits, 5);
        let Row::Ready {
            account, unnamed, ..
        } = &p.rows[1]
        else {
            panic!("{:?}", p.rows[1]);
        };
        assert!(*unnamed);
        assert_eq!(
            (account.issuer.as_str(), account.name.as_str()),
            ("", "Unnamed account")
        );
    }

    #[test]
    fn refusals_keep_their_labels_and_codes() {
        let long = "x".repeat(MAX_LABEL_CHARS + 1);
        let p = preview(
            vec![
                Ok(entry(&long, "me", OtpKind::Steam, KEY)),
                Err(SkippedEntry {
                    issuer: "Old".into(),
                    name: "me".into(),
                    reason: Skip::algorithm("MD5"),
                }),
            ],
            &[],
        );
        let codes: Vec<&str> = p
            .rows
            .iter()
            .map(|row| match row {
                Row::Skipped { reason, .. } => reason.code(),
                Row::Ready { .. } => "ready",
            })
            .collect();
        assert_eq!(codes, ["account.label-too-long", "import.algorithm"]);
        assert_eq!(p.importable(), 0);
        assert_eq!(p.chosen(&[1]), Err(ChoiceError::NotImportable { row: 1 }));
        assert_eq!(p.chosen(&[7]).unwrap_err().code(), "import.choice");
    }

    #[test]
    fn chosen_rows_get_fresh_ids_in_input_order_once() {
        let p = preview(
            vec![
                Ok(entry("A", "", OtpKind::Steam, KEY)),
                Ok(entry("B", "", OtpKind::Steam, KEY)),
                Ok(entry("C", "", OtpKind::Steam, KEY)),
            ],
            &[],
        );
        let chosen = p.chosen(&[2, 0, 2]).unwrap();
        let issuers: Vec<&str> = chosen.iter().map(|a| a.issuer.as_str()).collect();
        assert_eq!(issuers, ["A", "C"]);
        assert_ne!(chosen[0].id, chosen[1].id);
        let Row::Ready { account, .. } = &p.rows[0] else {
            panic!("{:?}", p.rows[0]);
        };
        assert_ne!(chosen[0].id, account.id);
        assert_eq!(chosen[0].params.algorithm, Algorithm::Sha1);
    }

    #[test]
    fn a_read_text_of_links_previews_in_order() {
        let text = "otpauth://totp/A:a?secret=JBSWY3DPEHPK3PXP\nnot a link\notpauth://totp/?secret=JBSWY3DPEHPK3PXP";
        let p = ImportPreview::new(read(text.as_bytes(), None).unwrap(), &[], "Unnamed");
        assert!(matches!(&p.rows[0], Row::Ready { unnamed: false, .. }));
        assert!(
            matches!(&p.rows[1], Row::Skipped { reason, .. } if reason.code() == "import.link")
        );
        assert!(matches!(&p.rows[2], Row::Ready { unnamed: true, .. }));
    }
}
