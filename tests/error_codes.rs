//! Every error that can reach a person has words in every language: this enumerates each
//! variant of each error the WebAssembly modules report (an exhaustive `match` per enum, so a
//! new variant does not compile until it is listed here), collects the message keys they ask
//! for (`error_<detail>`, `error_<code>`) with how many values each passes, and has
//! `tests/node/error_messages.mjs` check them against `extension/_locales/*/messages.json`:
//! every key present, no `error_*` key that nothing asks for, no placeholder beyond the values.

use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;

use toolbar_authenticator::account::AccountError;
use toolbar_authenticator::clock_correction::CorrectionError;
use toolbar_authenticator::clock_source::SourceError;
use toolbar_authenticator::coded::{Coded, ErrorReport, RequestError};
use toolbar_authenticator::crypto::CryptoError;
use toolbar_authenticator::form::FormError;
use toolbar_authenticator::otp::ParamsError;
use toolbar_authenticator::qr::{QrError, ShareError};
use toolbar_authenticator::secret::SecretError;
use toolbar_authenticator::transfer::backup::BackupError;
use toolbar_authenticator::transfer::preview::ChoiceError;
use toolbar_authenticator::transfer::{Damage, Format, TransferError};
use toolbar_authenticator::uri::UriError;
use toolbar_authenticator::vault::{StoredProblem, VaultError};

/// Codes that JavaScript raises itself (`extension/*.js`), with their value counts.
const VIEW_CODES: &[(&str, usize)] = &[("export.not-confirmed", 0)];

fn secret_errors() -> Vec<SecretError> {
    let all = vec![
        SecretError::Empty,
        SecretError::InvalidCharacter {
            character: '!',
            position: 3,
        },
        SecretError::InvalidCharacter {
            character: '0',
            position: 3,
        },
        SecretError::InvalidCharacter {
            character: '1',
            position: 3,
        },
        SecretError::InvalidCharacter {
            character: '8',
            position: 3,
        },
        SecretError::PaddingInMiddle { position: 9 },
        SecretError::ImpossibleLength { characters: 17 },
        SecretError::TooShort { bits: 40 },
        SecretError::TooLong { characters: 2000 },
    ];
    for error in &all {
        match error {
            SecretError::Empty
            | SecretError::InvalidCharacter { .. }
            | SecretError::PaddingInMiddle { .. }
            | SecretError::ImpossibleLength { .. }
            | SecretError::TooShort { .. }
            | SecretError::TooLong { .. } => {}
        }
    }
    all
}

fn params_errors() -> Vec<ParamsError> {
    let all = vec![
        ParamsError::Digits(9),
        ParamsError::Period(0),
        ParamsError::Period(100_000),
    ];
    for error in &all {
        match error {
            ParamsError::Digits(_) | ParamsError::Period(_) => {}
        }
    }
    all
}

fn account_errors() -> Vec<AccountError> {
    let mut all = vec![
        AccountError::Unnamed,
        AccountError::LabelTooLong { field: "issuer" },
        AccountError::LabelTooLong {
            field: "account name",
        },
        AccountError::Random,
        AccountError::BadId,
    ];
    all.extend(params_errors().into_iter().map(AccountError::Params));
    for error in &all {
        match error {
            AccountError::Unnamed
            | AccountError::LabelTooLong { .. }
            | AccountError::Params(_)
            | AccountError::Random
            | AccountError::BadId => {}
        }
    }
    all
}

fn uri_errors() -> Vec<UriError> {
    let mut all = vec![
        UriError::NotOtpauth,
        UriError::TooLong,
        UriError::UnknownType("motp".into()),
        UriError::MissingSecret,
        UriError::UnknownAlgorithm("MD5".into()),
        UriError::NotANumber {
            parameter: "digits",
            value: "six".into(),
        },
        UriError::MissingCounter,
        UriError::BadEncoding,
        UriError::LabelTooLong,
    ];
    all.extend(secret_errors().into_iter().map(UriError::Secret));
    all.extend(params_errors().into_iter().map(UriError::Params));
    for error in &all {
        match error {
            UriError::NotOtpauth
            | UriError::TooLong
            | UriError::UnknownType(_)
            | UriError::MissingSecret
            | UriError::Secret(_)
            | UriError::UnknownAlgorithm(_)
            | UriError::NotANumber { .. }
            | UriError::Params(_)
            | UriError::MissingCounter
            | UriError::BadEncoding
            | UriError::LabelTooLong => {}
        }
    }
    all
}

fn form_errors() -> Vec<FormError> {
    let mut all: Vec<FormError> = ["digits", "period", "counter"]
        .into_iter()
        .map(|field| FormError::NotANumber { field })
        .chain(
            ["type", "algorithm"]
                .into_iter()
                .map(|field| FormError::Choice { field }),
        )
        .collect();
    all.extend(secret_errors().into_iter().map(FormError::Secret));
    all.extend(uri_errors().into_iter().map(FormError::Uri));
    all.extend(params_errors().into_iter().map(FormError::Params));
    for error in &all {
        match error {
            FormError::Secret(_)
            | FormError::Uri(_)
            | FormError::Params(_)
            | FormError::NotANumber { .. }
            | FormError::Choice { .. } => {}
        }
    }
    all
}

fn crypto_errors() -> Vec<CryptoError> {
    let all = vec![
        CryptoError::WrongPassword,
        CryptoError::Malformed("nonce"),
        CryptoError::WeakParameters,
        CryptoError::ExcessiveParameters,
        CryptoError::Altered,
        CryptoError::EmptyPassword,
        CryptoError::ShortPassword,
        CryptoError::PasswordMismatch,
        CryptoError::Random,
    ];
    for error in &all {
        match error {
            CryptoError::WrongPassword
            | CryptoError::Malformed(_)
            | CryptoError::WeakParameters
            | CryptoError::ExcessiveParameters
            | CryptoError::Altered
            | CryptoError::EmptyPassword
            | CryptoError::ShortPassword
            | CryptoError::PasswordMismatch
            | CryptoError::Random => {}
        }
    }
    all
}

fn vault_errors() -> Vec<VaultError> {
    let mut all = vec![
        VaultError::Corrupt("not JSON"),
        VaultError::FutureSchema { found: 2 },
        VaultError::BadAccount {
            position: 3,
            reason: StoredProblem::Key,
        },
        VaultError::NoSuchAccount,
        VaultError::Duplicate,
        VaultError::NotHotp,
        VaultError::Full,
        VaultError::NotText,
        VaultError::Downgraded,
        VaultError::RolledBack { found: 3, seen: 5 },
        VaultError::AlreadyProtected,
        VaultError::StorageFull,
    ];
    all.extend(account_errors().into_iter().map(VaultError::Account));
    all.extend(crypto_errors().into_iter().map(VaultError::Crypto));
    for error in &all {
        match error {
            VaultError::Corrupt(_)
            | VaultError::FutureSchema { .. }
            | VaultError::BadAccount { .. }
            | VaultError::NoSuchAccount
            | VaultError::Duplicate
            | VaultError::NotHotp
            | VaultError::Full
            | VaultError::Account(_)
            | VaultError::Crypto(_)
            | VaultError::NotText
            | VaultError::Downgraded
            | VaultError::RolledBack { .. }
            | VaultError::AlreadyProtected
            | VaultError::StorageFull => {}
        }
    }
    all
}

fn source_errors() -> Vec<SourceError> {
    let all = vec![
        SourceError::Empty,
        SourceError::TooLong,
        SourceError::NotHttp,
        SourceError::InsecureRemote("example.com".into()),
        SourceError::BadHost("exa mple".into()),
        SourceError::BadPort("99999".into()),
        SourceError::Credentials,
        SourceError::Whitespace,
    ];
    for error in &all {
        match error {
            SourceError::Empty
            | SourceError::TooLong
            | SourceError::NotHttp
            | SourceError::InsecureRemote(_)
            | SourceError::BadHost(_)
            | SourceError::BadPort(_)
            | SourceError::Credentials
            | SourceError::Whitespace => {}
        }
    }
    all
}

fn correction_errors() -> Vec<CorrectionError> {
    let all = vec![
        CorrectionError::Untrusted,
        CorrectionError::NeedsConfirmation,
        CorrectionError::NotNeeded,
    ];
    for error in &all {
        match error {
            CorrectionError::Untrusted
            | CorrectionError::NeedsConfirmation
            | CorrectionError::NotNeeded => {}
        }
    }
    all
}

fn request_errors() -> Vec<RequestError> {
    let all = vec![
        RequestError::FormShape,
        RequestError::BadTime,
        RequestError::LinkNotText,
        RequestError::Locked,
        RequestError::NotProtected,
        RequestError::NoWorker,
        RequestError::NoClockCheck,
        RequestError::NothingToOpen,
        RequestError::NothingToImport,
        RequestError::NoQrCode,
        RequestError::NotAuthenticator,
        RequestError::NothingToExport,
        RequestError::NoBackupPassword,
        RequestError::Internal,
    ];
    for error in &all {
        match error {
            RequestError::FormShape
            | RequestError::BadTime
            | RequestError::LinkNotText
            | RequestError::Locked
            | RequestError::NotProtected
            | RequestError::NoWorker
            | RequestError::NoClockCheck
            | RequestError::NothingToOpen
            | RequestError::NothingToImport
            | RequestError::NoQrCode
            | RequestError::NotAuthenticator
            | RequestError::NothingToExport
            | RequestError::NoBackupPassword
            | RequestError::Internal => {}
        }
    }
    all
}

fn transfer_errors() -> Vec<TransferError> {
    let format = Format::Aegis;
    let damages = [
        Damage::NotJson,
        Damage::Contents,
        Damage::Missing("db"),
        Damage::Invalid("header.slots"),
        Damage::Altered,
        Damage::Truncated,
        Damage::NotThisFormat,
        Damage::Unsupported("cipher"),
        Damage::WeakKdf,
        Damage::NoPasswordSlot,
        Damage::Row(7),
    ];
    for damage in &damages {
        match damage {
            Damage::NotJson
            | Damage::Contents
            | Damage::Missing(_)
            | Damage::Invalid(_)
            | Damage::Altered
            | Damage::Truncated
            | Damage::NotThisFormat
            | Damage::Unsupported(_)
            | Damage::WeakKdf
            | Damage::NoPasswordSlot
            | Damage::Row(_) => {}
        }
    }
    let mut all = vec![
        TransferError::TooLarge { bytes: 6_000_000 },
        TransferError::UnknownFormat,
        TransferError::PasswordNeeded { format },
        TransferError::WrongPassword { format },
        TransferError::UnsupportedVersion { format, version: 9 },
        TransferError::KdfTooCostly { format },
        TransferError::Empty { format },
    ];
    all.extend(
        damages
            .into_iter()
            .map(|detail| TransferError::Damaged { format, detail }),
    );
    for error in &all {
        match error {
            TransferError::TooLarge { .. }
            | TransferError::UnknownFormat
            | TransferError::PasswordNeeded { .. }
            | TransferError::WrongPassword { .. }
            | TransferError::Damaged { .. }
            | TransferError::UnsupportedVersion { .. }
            | TransferError::KdfTooCostly { .. }
            | TransferError::Empty { .. } => {}
        }
    }
    all
}

fn qr_errors() -> Vec<QrError> {
    let all = vec![
        QrError::ImageTooLarge {
            width: 20_000,
            height: 10,
        },
        QrError::ImageSize {
            expected: 400,
            actual: 100,
        },
        QrError::TextTooLong { bytes: 3000 },
    ];
    for error in &all {
        match error {
            QrError::ImageTooLarge { .. }
            | QrError::ImageSize { .. }
            | QrError::TextTooLong { .. } => {}
        }
    }
    all
}

fn share_errors() -> Vec<ShareError> {
    let mut all = vec![ShareError::Random];
    all.extend(qr_errors().into_iter().map(ShareError::Qr));
    for error in &all {
        match error {
            ShareError::Random | ShareError::Qr(_) => {}
        }
    }
    all
}

fn backup_errors() -> Vec<BackupError> {
    let all = vec![
        BackupError::ShortPassword,
        BackupError::PasswordMismatch,
        BackupError::Parameters,
        BackupError::Random,
    ];
    for error in &all {
        match error {
            BackupError::ShortPassword
            | BackupError::PasswordMismatch
            | BackupError::Parameters
            | BackupError::Random => {}
        }
    }
    all
}

fn choice_errors() -> Vec<ChoiceError> {
    let all = vec![
        ChoiceError::NotImportable { row: 2 },
        ChoiceError::Account(AccountError::Random),
    ];
    for error in &all {
        match error {
            ChoiceError::NotImportable { .. } | ChoiceError::Account(_) => {}
        }
    }
    all
}

/// Every report the modules can send, built from every variant above.
fn all_reports() -> Vec<ErrorReport> {
    fn reports<T: Coded>(errors: Vec<T>) -> Vec<ErrorReport> {
        errors.iter().map(Coded::report).collect()
    }
    let mut all = Vec::new();
    all.extend(reports(form_errors()));
    all.extend(reports(vault_errors()));
    all.extend(reports(source_errors()));
    all.extend(reports(correction_errors()));
    all.extend(reports(request_errors()));
    all.extend(reports(transfer_errors()));
    all.extend(reports(qr_errors()));
    all.extend(reports(share_errors()));
    all.extend(reports(backup_errors()));
    all.extend(reports(choice_errors()));
    all
}

/// What each message key receives: most values passed. A transfer error's message also gets
/// the format's name first (`transfer-import.js`); a cause's words come after the values.
fn message_keys() -> BTreeMap<String, usize> {
    fn visit(report: &ErrorReport, keys: &mut BTreeMap<String, usize>) {
        let leading = usize::from(report.code.starts_with("transfer."));
        let count = leading + report.values.len() + usize::from(report.cause.is_some());
        for code in report.detail.into_iter().chain([report.code]) {
            let most = keys.entry(code.to_owned()).or_default();
            *most = (*most).max(count);
        }
        if let Some(cause) = &report.cause {
            visit(cause, keys);
        }
    }
    let mut keys = BTreeMap::new();
    for report in all_reports() {
        visit(&report, &mut keys);
    }
    for (code, count) in VIEW_CODES {
        keys.insert((*code).to_owned(), *count);
    }
    keys
}

#[test]
fn codes_are_stable_identifiers() {
    for (code, _) in message_keys() {
        let (area, name) = code.split_once('.').unwrap_or((code.as_str(), ""));
        let word = |s: &str| {
            !s.is_empty()
                && s.bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        };
        assert!(
            word(area) && (name.is_empty() || word(name)),
            "{code} is not `area.name` in lower case"
        );
    }
}

#[test]
fn every_code_has_words_in_every_locale() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let locales = root.join("extension/_locales");
    assert!(locales.is_dir(), "missing {}", locales.display());
    let keys: serde_json::Map<String, serde_json::Value> = message_keys()
        .into_iter()
        .map(|(code, count)| (code, count.into()))
        .collect();
    let list = std::env::temp_dir().join(format!("error-codes-{}.json", std::process::id()));
    std::fs::write(&list, serde_json::Value::Object(keys).to_string()).unwrap();
    let output = Command::new("node")
        .arg(root.join("tests/node/error_messages.mjs"))
        .arg(&list)
        .arg(&locales)
        .output()
        .expect("node (Node.js 20+) is needed for this test");
    let _ = std::fs::remove_file(&list);
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    print!("{stdout}");
    assert!(output.status.success(), "{stdout}{stderr}");
}
