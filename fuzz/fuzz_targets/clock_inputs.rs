//! The clock check's outside input: HTTP `Date` headers, tab and fallback URLs, and the stored
//! measurement cache. None may panic, and an accepted origin must read back the same.
#![no_main]

use libfuzzer_sys::fuzz_target;
use toolbar_authenticator::clock::parse_http_date;
use toolbar_authenticator::clock_source::{CheckCache, Origin, fallback_source, tab_origin};

fuzz_target!(|text: &str| {
    let _ = parse_http_date(text);
    let _ = fallback_source(text);
    let cache = CheckCache::from_json(Some(text));
    let _ = cache.lookup("https://example.com", 0);
    let _ = CheckCache::from_json(Some(&cache.to_json()));
    if let Some(origin) = tab_origin(text) {
        let again = Origin::parse(&origin.serialize());
        assert_eq!(
            again.ok().as_ref(),
            Some(&origin),
            "origin {text:?} does not read back"
        );
    }
});
