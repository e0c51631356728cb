//! Property tests: every parse/format round trip, tolerant input, and parsers that never panic.
//!
//! `PROPTEST_CASES=<n>` changes the number of cases per property (proptest's own variable);
//! a failure is shrunk to a minimal input, and proptest records its seed in a
//! `*.proptest-regressions` file so later runs try it first (commit that file).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use proptest::collection::vec;
use proptest::prelude::*;
use proptest::sample::Index;
use toolbar_authenticator::account::{Account, AccountDraft, AccountId, clean_label};
use toolbar_authenticator::otp::{Algorithm, OtpKind, OtpParams};
use toolbar_authenticator::secret::{MIN_SECRET_BYTES, Secret, SecretError};
use toolbar_authenticator::uri::{format_uri, parse_uri};
use toolbar_authenticator::vault::Vault;

mod common;

// ---------------------------------------------------------------------------------------------
// Strategies
// ---------------------------------------------------------------------------------------------

fn key_bytes() -> impl Strategy<Value = Vec<u8>> {
    vec(any::<u8>(), 10..=64)
}

fn secret() -> impl Strategy<Value = Secret> {
    key_bytes().prop_map(|mut bytes| Secret::from_bytes(&mut bytes).unwrap())
}

/// Characters for labels: anything Unicode, plus a heavy dose of the ones URIs care about.
fn label_char() -> impl Strategy<Value = char> {
    prop_oneof![
        4 => any::<char>(),
        3 => prop::sample::select(
            &[
                ':', '%', '+', '&', '=', '?', '#', '/', ' ', '@', '.', '-', '_', '~', '\u{a0}',
                '\t', '\0', 'é', 'ß', '日', '🔑', '\u{202E}', '\u{200B}', '\u{2066}', '\u{FEFF}',
            ][..]
        ),
        3 => prop::char::range('a', 'z'),
    ]
}

/// A label as an account holds it: cleaned (no control, bidi or invisible characters, no
/// leading or trailing whitespace).
fn label() -> impl Strategy<Value = String> {
    vec(label_char(), 0..24).prop_map(|chars| clean_label(&chars.into_iter().collect::<String>()))
}

/// A character no label may keep: controls, bidirectional formatting, invisible characters.
fn hides_or_breaks(c: char) -> bool {
    c.is_control()
        || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200B}'..='\u{200F}'
            | '\u{061C}' | '\u{2060}'..='\u{2064}' | '\u{FEFF}' | '\u{00AD}' | '\u{180E}'
            | '\u{FFF9}'..='\u{FFFB}')
}

/// Issuer and name, at least one non-empty.
fn labels() -> impl Strategy<Value = (String, String)> {
    (label(), label()).prop_filter("an account needs an issuer or a name", |(i, n)| {
        !i.is_empty() || !n.is_empty()
    })
}

fn algorithm() -> impl Strategy<Value = Algorithm> {
    prop_oneof![
        Just(Algorithm::Sha1),
        Just(Algorithm::Sha256),
        Just(Algorithm::Sha512)
    ]
}

fn kind() -> impl Strategy<Value = OtpKind> {
    prop_oneof![
        (1u32..=86_400).prop_map(|period| OtpKind::Totp { period }),
        prop_oneof![Just(15u32), Just(30), Just(60), Just(86_400)]
            .prop_map(|period| OtpKind::Totp { period }),
        any::<u64>().prop_map(|counter| OtpKind::Hotp { counter }),
        (0u64..100).prop_map(|counter| OtpKind::Hotp { counter }),
        Just(OtpKind::Steam),
    ]
}

/// Valid parameters (Steam normalised to SHA1 and five characters, as parsing makes it).
fn params() -> impl Strategy<Value = OtpParams> {
    (kind(), algorithm(), 6u8..=8).prop_map(|(kind, algorithm, digits)| {
        OtpParams {
            kind,
            algorithm,
            digits,
        }
        .validated()
        .unwrap()
    })
}

fn draft() -> impl Strategy<Value = AccountDraft> {
    (labels(), params(), secret()).prop_map(|((issuer, name), params, secret)| AccountDraft {
        issuer,
        name,
        params,
        secret,
    })
}

/// One edit of a text: the raw material for "mutated valid input" properties.
#[derive(Debug, Clone)]
enum Mutation {
    Delete(Index),
    Insert(Index, char),
    Replace(Index, char),
    Swap(Index),
    Truncate(Index),
    Duplicate(Index, Index),
}

fn mutation() -> impl Strategy<Value = Mutation> {
    let interesting = prop_oneof![
        any::<char>(),
        prop::sample::select(&['%', '&', '=', '?', '#', ':', '/', '+', ' ', '0', '1', 'F'][..]),
    ];
    prop_oneof![
        any::<Index>().prop_map(Mutation::Delete),
        (any::<Index>(), interesting.clone()).prop_map(|(i, c)| Mutation::Insert(i, c)),
        (any::<Index>(), interesting).prop_map(|(i, c)| Mutation::Replace(i, c)),
        any::<Index>().prop_map(Mutation::Swap),
        any::<Index>().prop_map(Mutation::Truncate),
        (any::<Index>(), any::<Index>()).prop_map(|(a, b)| Mutation::Duplicate(a, b)),
    ]
}

fn mutate(text: &str, mutations: &[Mutation]) -> String {
    let mut chars: Vec<char> = text.chars().collect();
    for mutation in mutations {
        let len = chars.len();
        match mutation {
            Mutation::Insert(i, c) => chars.insert(i.index(len + 1), *c),
            _ if len == 0 => {}
            Mutation::Delete(i) => {
                chars.remove(i.index(len));
            }
            Mutation::Replace(i, c) => chars[i.index(len)] = *c,
            Mutation::Swap(i) => {
                let i = i.index(len);
                chars.swap(i, (i + 1) % len);
            }
            Mutation::Truncate(i) => chars.truncate(i.index(len)),
            Mutation::Duplicate(a, b) => {
                let (a, b) = (a.index(len), b.index(len));
                let copy: Vec<char> = chars[a.min(b)..=a.max(b)].to_vec();
                let at = a.max(b) + 1;
                chars.splice(at..at, copy);
            }
        }
    }
    chars.into_iter().collect()
}

// ---------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------

/// What `Secret::from_base32` reads from a text: separators and padding gone, upper case.
fn normalised(text: &str) -> String {
    text.chars()
        .filter(|c| !matches!(c, ' ' | '\t' | '-' | '\u{a0}' | '='))
        .map(|c| c.to_ascii_uppercase())
        .collect()
}

fn base32_value(c: char) -> u8 {
    match c {
        'A'..='Z' => c as u8 - b'A',
        '2'..='7' => c as u8 - b'2' + 26,
        _ => panic!("{c:?} is not base32"),
    }
}

/// Checks a successful parse against its input: the key re-encodes to the normalised input,
/// except that bits past the last whole byte (ignored when decoding) come back as zero.
fn check_reencoding(input: &str, secret: &Secret) -> Result<(), TestCaseError> {
    let expected = normalised(input);
    let encoded = secret.to_base32();
    prop_assert_eq!(encoded.len(), expected.len());
    prop_assert_eq!(secret.as_bytes().len(), expected.len() * 5 / 8);
    prop_assert!(secret.as_bytes().len() >= MIN_SECRET_BYTES);
    let n = expected.len();
    prop_assert_eq!(&encoded[..n - 1], &expected[..n - 1]);
    let unused_bits = (n * 5) % 8;
    let last_given = base32_value(expected.chars().last().unwrap());
    let last_encoded = base32_value(encoded.chars().last().unwrap());
    prop_assert_eq!(last_encoded, last_given >> unused_bits << unused_bits);
    if last_given & ((1 << unused_bits) - 1) == 0 {
        prop_assert_eq!(encoded.as_str(), expected.as_str());
    }
    Ok(())
}

/// Checks a refusal against its input: each error describes the input truthfully.
fn check_refusal(input: &str, error: &SecretError) -> Result<(), TestCaseError> {
    prop_assert!(!error.to_string().is_empty());
    let base32_chars = normalised(input)
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .count();
    match error {
        SecretError::Empty => prop_assert_eq!(base32_chars, 0),
        SecretError::InvalidCharacter {
            character,
            position,
        } => {
            prop_assert_eq!(input.chars().nth(position - 1), Some(*character));
            prop_assert!(!matches!(character, 'a'..='z' | 'A'..='Z' | '2'..='7'));
        }
        SecretError::PaddingInMiddle { position } => {
            prop_assert_eq!(input.chars().nth(position - 1), Some('='));
        }
        SecretError::ImpossibleLength { characters } => {
            prop_assert!(matches!(characters % 8, 1 | 3 | 6), "{characters}");
        }
        SecretError::TooShort { bits } => prop_assert!(*bits < MIN_SECRET_BYTES * 8),
        SecretError::TooLong { .. } => {}
    }
    Ok(())
}

/// The invariant every successful parse must keep: formatting it reads back the same.
fn check_uri_fixpoint(draft: &AccountDraft) -> Result<(), TestCaseError> {
    let uri = format_uri(draft);
    match parse_uri(&uri) {
        Ok(again) => prop_assert_eq!(&again, draft, "via {}", uri),
        Err(error) => prop_assert!(false, "{} does not parse: {:?}", uri, error),
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Secrets
// ---------------------------------------------------------------------------------------------

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1024))]

    #[test]
    fn base32_encode_decode_round_trip(bytes in key_bytes()) {
        let mut buffer = bytes.clone();
        let secret = Secret::from_bytes(&mut buffer).unwrap();
        prop_assert!(buffer.iter().all(|b| *b == 0), "caller's buffer zeroised");
        let text = secret.to_base32();
        prop_assert_eq!(text.len(), (bytes.len() * 8).div_ceil(5));
        prop_assert!(text.chars().all(|c| matches!(c, 'A'..='Z' | '2'..='7')), "{}", text.as_str());
        let decoded = Secret::from_base32(&text).unwrap();
        prop_assert_eq!(decoded.as_bytes(), &bytes[..]);
        prop_assert_eq!(decoded, secret);
    }

    #[test]
    fn tolerated_forms_decode_to_the_same_key(
        bytes in key_bytes(),
        lowercase in vec(any::<bool>(), 104),
        separators in vec((any::<Index>(), prop::sample::select(&[' ', '-'][..])), 0..24),
        pad in any::<bool>(),
        after in prop::sample::select(&["", " ", "-", "  "][..]),
    ) {
        let mut buffer = bytes.clone();
        let canonical = Secret::from_bytes(&mut buffer).unwrap().to_base32();
        let mut chars: Vec<char> = canonical
            .chars()
            .zip(&lowercase)
            .map(|(c, lower)| if *lower { c.to_ascii_lowercase() } else { c })
            .collect();
        for (at, separator) in &separators {
            chars.insert(at.index(chars.len() + 1), *separator);
        }
        let mut text: String = chars.into_iter().collect();
        if pad {
            text.push_str(&"=".repeat((8 - canonical.len() % 8) % 8));
        }
        text.push_str(after);
        let secret = Secret::from_base32(&text)
            .map_err(|e| TestCaseError::fail(format!("{text:?} refused: {e}")))?;
        prop_assert_eq!(secret.as_bytes(), &bytes[..], "{:?}", text);
    }

    #[test]
    fn secret_parser_never_panics_on_any_text(text in any::<String>()) {
        match Secret::from_base32(&text) {
            Ok(secret) => check_reencoding(&text, &secret)?,
            Err(error) => check_refusal(&text, &error)?,
        }
    }

    #[test]
    fn secret_parser_never_panics_on_nearly_base32(
        text in "[A-Za-z2-7]{0,120}|[A-Za-z2-7 =\\-\t\u{a0}01890!]{0,120}"
    ) {
        match Secret::from_base32(&text) {
            Ok(secret) => check_reencoding(&text, &secret)?,
            Err(error) => check_refusal(&text, &error)?,
        }
    }

    #[test]
    fn secret_parser_never_panics_on_mutated_keys(
        bytes in key_bytes(),
        mutations in vec(mutation(), 1..6),
    ) {
        let mut buffer = bytes;
        let text = mutate(&Secret::from_bytes(&mut buffer).unwrap().to_base32(), &mutations);
        match Secret::from_base32(&text) {
            Ok(secret) => check_reencoding(&text, &secret)?,
            Err(error) => check_refusal(&text, &error)?,
        }
    }
}

// ---------------------------------------------------------------------------------------------
// otpauth:// URIs
// ---------------------------------------------------------------------------------------------

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1024))]

    #[test]
    fn uri_format_parse_round_trip(draft in draft()) {
        let uri = format_uri(&draft);
        prop_assert!(uri.is_ascii(), "{}", uri);
        prop_assert!(!uri.chars().any(|c| c.is_ascii_whitespace() || c == '#'), "{}", uri);
        prop_assert_eq!(uri.matches('?').count(), 1, "{}", uri);
        check_uri_fixpoint(&draft)?;
    }

    #[test]
    fn uri_names_are_case_insensitive(draft in draft()) {
        // Upper-case scheme, type and parameter names, lower-case secret and algorithm values.
        let uri = format_uri(&draft);
        let (head, query) = uri.split_once('?').unwrap();
        let (scheme_and_type, label) = head.split_at(head.find('/').unwrap() + 2);
        let (kind, label) = label.split_once('/').unwrap();
        let query: Vec<String> = query
            .split('&')
            .map(|pair| {
                let (key, value) = pair.split_once('=').unwrap();
                let value = match key {
                    "secret" | "algorithm" => value.to_ascii_lowercase(),
                    _ => value.to_owned(),
                };
                format!("{}={value}", key.to_ascii_uppercase())
            })
            .collect();
        let shouted = format!(
            "{}{}/{label}?{}",
            scheme_and_type.to_ascii_uppercase(),
            kind.to_ascii_uppercase(),
            query.join("&")
        );
        prop_assert_eq!(parse_uri(&shouted).unwrap(), draft, "{}", shouted);
    }

    #[test]
    fn clean_labels_are_clean_and_stay_so(raw in vec(label_char(), 0..24)) {
        let raw: String = raw.into_iter().collect();
        let clean = clean_label(&raw);
        prop_assert_eq!(clean_label(&clean), clean.clone());
        prop_assert_eq!(clean.trim(), clean.as_str());
        prop_assert!(!clean.chars().any(hides_or_breaks));
        // Only what hides or breaks text goes: every other character is kept, in order.
        let visible: String = raw.chars().filter(|&c| !hides_or_breaks(c) && !c.is_whitespace()).collect();
        let kept: String = clean.chars().filter(|c| !c.is_whitespace()).collect();
        prop_assert_eq!(kept, visible);
    }

    #[test]
    fn uri_parser_never_panics_on_any_text(text in any::<String>()) {
        if let Ok(draft) = parse_uri(&text) {
            check_uri_fixpoint(&draft)?;
        }
    }

    #[test]
    fn uri_parser_never_panics_on_uri_shaped_text(
        text in "(otpauth|OTPAUTH|http)://(totp|hotp|steam|TOTP|motp)?/?[a-zA-Z0-9:%@ +.]{0,16}(\\?((secret|issuer|algorithm|digits|period|counter|encoder|SECRET|x)=?[A-Za-z0-9%+ =:.-]{0,20}&?){0,8})?(#.*)?"
    ) {
        if let Ok(draft) = parse_uri(&text) {
            check_uri_fixpoint(&draft)?;
        }
    }

    #[test]
    fn uri_parser_never_panics_on_mutated_uris(
        draft in draft(),
        mutations in vec(mutation(), 1..8),
    ) {
        let text = mutate(&format_uri(&draft), &mutations);
        if let Ok(parsed) = parse_uri(&text) {
            check_uri_fixpoint(&parsed)?;
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Vault
// ---------------------------------------------------------------------------------------------

fn account() -> impl Strategy<Value = Account> {
    (draft(), "[0-9a-zA-Z_-]{1,64}")
        .prop_map(|(draft, id)| Account::from_draft(draft, AccountId::parse(&id).unwrap()).unwrap())
}

fn vault() -> impl Strategy<Value = Vault> {
    common::vault_of(account(), 6)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn vault_bytes_round_trip(vault in vault()) {
        let bytes = vault.to_bytes();
        prop_assert_eq!(Vault::from_bytes(&bytes).unwrap(), vault);
    }

    #[test]
    fn vault_parser_never_panics_on_mutated_records(
        vault in vault(),
        mutations in vec(mutation(), 1..8),
    ) {
        let text = String::from_utf8(vault.to_bytes().to_vec()).unwrap();
        let text = mutate(&text, &mutations);
        if let Ok(parsed) = Vault::from_bytes(text.as_bytes()) {
            prop_assert_eq!(Vault::from_bytes(&parsed.to_bytes()).unwrap(), parsed);
        }
    }

    #[test]
    fn vault_parser_never_panics_on_any_bytes(bytes in vec(any::<u8>(), 0..512)) {
        if let Ok(parsed) = Vault::from_bytes(&bytes) {
            prop_assert_eq!(Vault::from_bytes(&parsed.to_bytes()).unwrap(), parsed);
        }
    }
}
