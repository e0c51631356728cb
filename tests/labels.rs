//! Issuer and account names cannot pose as another account: whichever way a label comes in (an
//! `otpauth://` link, the add form, a rename, a record stored by an earlier release), what is
//! kept and shown has no bidirectional-override, invisible or control characters.

#![allow(clippy::unwrap_used)]

use toolbar_authenticator::account::{Account, AccountId};
use toolbar_authenticator::form::AccountForm;
use toolbar_authenticator::uri::parse_uri;
use toolbar_authenticator::vault::{Edit, Vault};

/// Everything the issue names: overrides, embeddings, isolates, marks, zero-width characters.
const HIDDEN: &[char] = &[
    '\u{202A}', '\u{202B}', '\u{202C}', '\u{202D}', '\u{202E}', '\u{2066}', '\u{2067}', '\u{2068}',
    '\u{2069}', '\u{200E}', '\u{200F}', '\u{061C}', '\u{200B}', '\u{200C}', '\u{200D}', '\u{2060}',
    '\u{FEFF}',
];

fn assert_clean(text: &str) {
    assert!(
        !text.chars().any(|c| HIDDEN.contains(&c) || c.is_control()),
        "{text:?} still holds a hidden character"
    );
}

fn percent_encode(text: &str) -> String {
    text.bytes().map(|b| format!("%{b:02X}")).collect()
}

#[test]
fn a_link_posing_as_another_account_is_stored_plainly() {
    // "Example" followed by U+202E and reversed text reads "Example.com" in a right-to-left
    // override; U+200B makes "alice" differ from another "alice" invisibly.
    let issuer = "Exa\u{200B}mple\u{202E}moc.";
    let name = "ali\u{200B}ce\u{2066}\u{200F}";
    let link = format!(
        "otpauth://totp/{}:{}?secret=JBSWY3DPEHPK3PXP&issuer={}",
        percent_encode(issuer),
        percent_encode(name),
        percent_encode(issuer)
    );
    let parsed = parse_uri(&link).unwrap();
    assert_eq!(
        (parsed.issuer.as_str(), parsed.name.as_str()),
        ("Examplemoc.", "alice")
    );

    // The form as the popup submits it after the link was pasted into Secret key: the other
    // fields hold whatever the page put there (here, the raw labels, as an older popup would).
    let form = AccountForm {
        issuer: issuer.into(),
        name: name.into(),
        secret: link,
        ..AccountForm::default()
    };
    let account =
        Account::from_draft(form.to_draft().unwrap(), AccountId::random().unwrap()).unwrap();
    let mut vault = Vault::new();
    vault.apply(&Edit::Add(account.clone())).unwrap();
    let stored = String::from_utf8(vault.to_bytes().to_vec()).unwrap();
    assert_clean(&stored);
    assert!(
        !stored.contains("\\u"),
        "no escaped hidden character either: {stored}"
    );

    // Rename goes through the same cleaning.
    vault
        .apply(&Edit::Rename {
            id: account.id.clone(),
            issuer: "\u{202E}lapyap".into(),
            name: "bob\u{FEFF}".into(),
        })
        .unwrap();
    let renamed = &vault.accounts()[0];
    assert_eq!(
        (renamed.issuer.as_str(), renamed.name.as_str()),
        ("lapyap", "bob")
    );
}

#[test]
fn a_record_stored_before_labels_were_cleaned_reads_back_clean() {
    // As serde_json wrote it: hidden characters escaped as \uXXXX.
    let record = r#"{"schema":1,"revision":3,"accounts":[
        {"id":"a1","issuer":"\u202eExample","name":"ali\u200bce","type":"totp","algorithm":"SHA1","digits":6,"period":30,"secret":"JBSWY3DPEHPK3PXP"},
        {"id":"a2","issuer":"\u200b","name":"\u2066","type":"totp","algorithm":"SHA1","digits":6,"period":30,"secret":"JBSWY3DPEHPK3PXQ"}
    ]}"#;
    let vault = Vault::from_bytes(record.as_bytes()).unwrap();
    let labels: Vec<(&str, &str)> = vault
        .accounts()
        .iter()
        .map(|a| (a.issuer.as_str(), a.name.as_str()))
        .collect();
    // The second account had nothing visible: it is kept, nameless, not lost with the record.
    assert_eq!(labels, [("Example", "alice"), ("", "")]);
}
