//! Aegis vaults: the container and header (read without a password, so no scrypt runs) on
//! arbitrary bytes, and the decrypted contents on arbitrary bytes. Never panics; whatever
//! entries are read are written by `write_plain` and read back the same.
#![no_main]

use libfuzzer_sys::fuzz_target;
use toolbar_authenticator::transfer::{ExportEntry, ImportedEntry, Input, aegis};

fuzz_target!(|input: (&[u8], &[u8])| {
    let (file, content) = input;
    if let Ok(input) = Input::new(file) {
        if aegis::detect(&input).is_some() {
            let _ = aegis::read(&input, None);
        }
    }
    let Ok(candidates) = aegis::read_content_json(content) else {
        return;
    };
    let entries: Vec<ImportedEntry> = candidates.into_iter().flatten().collect();
    let export: Vec<ExportEntry> = entries.iter().map(ExportEntry::from).collect();
    let Ok(bytes) = aegis::write_plain(&export) else {
        return;
    };
    let input = Input::new(&bytes).expect("a written vault is within the size limit");
    let again: Vec<ImportedEntry> = aegis::read(&input, None)
        .expect("a written vault reads")
        .into_iter()
        .flatten()
        .collect();
    assert_eq!(again, entries);
});
