//! `parse_uri` on arbitrary UTF-8: never panics, and whatever it accepts formats back to a URI
//! that parses to the same draft.
#![no_main]

use libfuzzer_sys::fuzz_target;
use toolbar_authenticator::uri::{format_uri, parse_uri};

fuzz_target!(|text: &str| {
    if let Ok(draft) = parse_uri(text) {
        // Parsing trims labels, so a parsed draft never has outer whitespace to lose.
        assert_eq!(draft.issuer, draft.issuer.trim());
        assert_eq!(draft.name, draft.name.trim());
        let uri = format_uri(&draft);
        match parse_uri(&uri) {
            Ok(again) => assert_eq!(again, draft, "{uri}"),
            Err(error) => panic!("formatted URI {uri} does not parse: {error:?}"),
        }
    }
});
