//! Google Authenticator transfers: the protobuf payload decoder on arbitrary bytes, and links
//! on arbitrary text. Never panics; every account read from a payload that Google's format can
//! hold is written by `export_links` and read back the same.
#![no_main]

use libfuzzer_sys::fuzz_target;
use toolbar_authenticator::transfer::google_migration::{Batches, export_links_with_id, read_payload};
use toolbar_authenticator::transfer::{ExportEntry, ImportedEntry};

fuzz_target!(|input: (&[u8], &str)| {
    let (payload, text) = input;
    let entries: Vec<ImportedEntry> = read_payload(payload).into_iter().flatten().collect();
    let export: Vec<ExportEntry> = entries.iter().map(ExportEntry::from).collect();
    let written = export_links_with_id(&export, 3, 1);
    let mut batches = Batches::default();
    let again: Vec<ImportedEntry> = written
        .links
        .iter()
        .flat_map(|link| batches.read_link(link))
        .flatten()
        .collect();
    assert_eq!(again.len() + written.refused.len(), entries.len());
    let kept = entries
        .iter()
        .enumerate()
        .filter(|(i, _)| !written.refused.iter().any(|(r, _)| r == i));
    for ((_, before), after) in kept.zip(&again) {
        assert_eq!(before, after);
    }
    assert!(batches.finish().iter().all(|b| b.missing.is_empty()));

    let mut batches = Batches::default();
    for line in text.lines() {
        let _ = batches.read_link(line);
    }
    for batch in batches.finish() {
        assert_eq!(batch.read.len() + batch.missing.len(), batch.parts as usize);
    }
});
