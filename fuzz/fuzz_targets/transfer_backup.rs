//! Our backup files: the header (`BackupFile::parse`, no key derivation per input) and, without
//! a password, the import dispatch on arbitrary bytes; the decrypted contents on arbitrary
//! bytes. Never panics; whatever entries the contents give are sealed again under one key
//! (derived once per run) and open to the same entries.
#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use toolbar_authenticator::crypto::{KdfParams, VaultKey};
use toolbar_authenticator::transfer::backup::{self, BackupFile};
use toolbar_authenticator::transfer::{ExportEntry, ImportedEntry, Input, TransferError};

fn key() -> &'static VaultKey {
    static KEY: OnceLock<VaultKey> = OnceLock::new();
    KEY.get_or_init(|| VaultKey::create("fuzzing password", KdfParams::MINIMUM).expect("key"))
}

fuzz_target!(|input: (&[u8], &[u8])| {
    let (file, content) = input;
    if let Ok(parsed) = BackupFile::parse(file) {
        let _ = (parsed.created_unix_seconds(), parsed.kdf());
        // A header the fuzzer made cannot hold our key's check: never opens.
        assert!(parsed.open(key()).is_err());
    }
    if let Ok(input) = Input::new(file) {
        if backup::detect(&input).is_some() {
            match backup::read(&input, None) {
                Err(TransferError::PasswordNeeded { .. }) => {}
                Err(error) => {
                    let _ = (error.code(), error.to_string());
                }
                Ok(_) => panic!("a backup read without its password"),
            }
        }
    }
    let Ok(candidates) = backup::read_content_json(content) else {
        return;
    };
    let entries: Vec<ImportedEntry> = candidates.into_iter().flatten().collect();
    let export: Vec<ExportEntry> = entries.iter().map(ExportEntry::from).collect();
    let sealed = BackupFile::seal_with_key(&export, key(), 0).expect("sealing never fails");
    let again: Vec<ImportedEntry> = BackupFile::parse(&sealed)
        .expect("a written backup parses")
        .open(key())
        .expect("a written backup opens")
        .into_iter()
        .flatten()
        .collect();
    assert_eq!(again, entries);
});
