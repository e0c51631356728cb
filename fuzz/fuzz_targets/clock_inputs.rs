//! The clock check's outside input: HTTP `Date` headers, tab and fallback URLs, the stored
//! measurement cache and the stored agreement to correct codes. None may panic, an accepted
//! origin must read back the same, and a correction never exceeds what was agreed to.
#![no_main]

use libfuzzer_sys::fuzz_target;
use toolbar_authenticator::clock::parse_http_date;
use toolbar_authenticator::clock_correction::{CAP_MS, Consent, Correction, Measured, decide};
use toolbar_authenticator::clock_source::{Check, CheckCache, Origin, fallback_source, tab_origin};

fuzz_target!(|text: &str| {
    let _ = parse_http_date(text);
    let _ = fallback_source(text);
    let cache = CheckCache::from_json(Some(text));
    let _ = cache.lookup("https://example.com", 0);
    let _ = CheckCache::from_json(Some(&cache.to_json()));
    if let Some(agreed) = Consent::from_json(Some(text)) {
        assert_eq!(
            Consent::from_json(Some(&agreed.to_json())),
            Some(agreed.clone())
        );
        let cap = i64::try_from(CAP_MS).unwrap_or(i64::MAX);
        for delta in [0, 1, -1, cap, -cap, cap + 1, -cap - 1, i64::MAX, i64::MIN] {
            for origin in [agreed.0.origin.clone(), format!("{}x", agreed.0.origin)] {
                let check = Check {
                    origin,
                    offset_ms: agreed.0.offset_ms.saturating_add(delta),
                    ..agreed.0.clone()
                };
                let measured = Measured {
                    check: &check,
                    fallback_origin: None,
                };
                if let Correction::On { offset_ms } = decide(&measured, Some(&agreed)) {
                    assert_eq!(check.origin, agreed.0.origin, "followed another site");
                    assert!(
                        offset_ms.unsigned_abs() <= CAP_MS
                            || (agreed.0.offset_ms.unsigned_abs() > CAP_MS
                                && offset_ms.abs_diff(agreed.0.offset_ms) <= CAP_MS),
                        "followed {offset_ms} ms, agreed to {}",
                        agreed.0.offset_ms
                    );
                }
            }
        }
    }
    if let Some(origin) = tab_origin(text) {
        let again = Origin::parse(&origin.serialize());
        assert_eq!(
            again.ok().as_ref(),
            Some(&origin),
            "origin {text:?} does not read back"
        );
    }
});
