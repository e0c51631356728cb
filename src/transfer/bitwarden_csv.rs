//! Bitwarden's CSV export: a header row naming the columns (`name`, `login_username`,
//! `login_totp`, …) and one row per item. Fields may be quoted and hold commas and line breaks
//! (notes often do), so rows are read with the `csv` crate, never split by hand.
//! `login_totp` is read as the JSON export's `login.totp` is (see [`super::bitwarden`]).

use super::bitwarden::totp_candidate;
use super::json_fields::{damaged, non_empty};
use super::{Candidate, Detected, Format, Input, TransferError};
use crate::transfer::Damage;

const FORMAT: Format = Format::BitwardenCsv;

/// Where the columns this reader needs are.
struct Columns {
    name: Option<usize>,
    username: Option<usize>,
    totp: usize,
}

/// The columns of the header row, `None` when it has no `login_totp` column.
fn columns(text: &str) -> Option<Columns> {
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .from_reader(text.as_bytes());
    let headers = reader.headers().ok()?;
    let find = |wanted: &str| headers.iter().position(|h| h.trim() == wanted);
    Some(Columns {
        name: find("name"),
        username: find("login_username"),
        totp: find("login_totp")?,
    })
}

/// Content check: text whose header row has a `login_totp` and a `name` column.
pub fn detect(input: &Input) -> Option<Detected> {
    let text = input.text?;
    if input.json.is_some() {
        return None;
    }
    let header = text.lines().next()?;
    columns(header)
        .filter(|c| c.name.is_some())
        .map(|_| Detected {
            format: FORMAT,
            encrypted: false,
        })
}

/// Reads every row with an authenticator key, in file order. `password` is not used.
///
/// # Errors
/// [`TransferError::UnknownFormat`] without a `login_totp` column, [`TransferError::Damaged`]
/// for a row the CSV reader cannot read, [`TransferError::Empty`] when no row has a key.
pub fn read(input: &Input, _password: Option<&str>) -> Result<Vec<Candidate>, TransferError> {
    let text = input.text.ok_or(TransferError::UnknownFormat)?;
    let columns = columns(text).ok_or(TransferError::UnknownFormat)?;
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut entries = Vec::new();
    for (row, record) in reader.records().enumerate() {
        let record = record.map_err(|_| damaged(FORMAT, Damage::Row(row + 2)))?;
        let field = |i: Option<usize>| i.and_then(|i| record.get(i)).unwrap_or_default();
        let totp = field(Some(columns.totp));
        if let Some(entry) = totp_candidate(
            totp,
            field(columns.name),
            field(columns.username),
            "login_totp",
        ) {
            entries.push(entry);
        }
    }
    non_empty(FORMAT, entries)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::transfer::test_fixtures::{check_fixture, fixture};

    #[test]
    fn fixture_reads_to_its_expected_entries() {
        let file = "bitwarden/bitwarden.csv";
        let bytes = fixture(file);
        assert_eq!(
            detect(&Input::new(&bytes).unwrap()).map(|d| d.format),
            Some(FORMAT)
        );
        assert_eq!(check_fixture(file, |i| read(i, None)), 4);
    }

    #[test]
    fn quoted_fields_with_commas_and_line_breaks() {
        let csv = "folder,favorite,type,name,notes,fields,login_uri,login_username,login_password,login_totp\r\n\
                   ,,login,\"Bank, Inc.\",\"line one\nline two, with comma\",,,\"me@x\",pw,JBSWY3DPEHPK3PXP\r\n\
                   ,,login,No key,,,,,,\r\n";
        let input = Input::new(csv.as_bytes()).unwrap();
        assert!(detect(&input).is_some());
        let entries = read(&input, None).unwrap();
        assert_eq!(entries.len(), 1);
        let entry = entries[0].as_ref().unwrap();
        assert_eq!(
            (entry.issuer.as_str(), entry.name.as_str()),
            ("Bank, Inc.", "me@x")
        );
    }

    #[test]
    fn other_csv_is_not_bitwarden() {
        let input = Input::new(b"name,url,username,password\nA,b,c,d\n").unwrap();
        assert_eq!(detect(&input), None);
        assert_eq!(
            read(&input, None).unwrap_err(),
            TransferError::UnknownFormat
        );
    }
}
