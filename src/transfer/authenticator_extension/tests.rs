//! No real backup of the extension is public, so these tests write their own, following its
//! documented and published format (see the module notes). The generator's sealing is checked
//! against vectors made outside Rust: `openssl enc -aes-256-cbc -md md5` (what CryptoJS's
//! passphrase mode is), Python's `cryptography` AES-GCM, and the reference `argon2` command
//! line (Debian's `argon2`) for every key derivation and stored hash.

use aes::cipher::{BlockModeEncrypt, KeyIvInit, block_padding::Pkcs7};
use aes_gcm::aead::{Aead, KeyInit};
use base64ct::{Base64, Encoding};
use serde_json::{Value, json};

use super::*;
use crate::transfer::test_fixtures::check_entry;
use crate::transfer::unseal::{evp_bytes_to_key, sha256_key};

/// Password of every encrypted backup here.
const PASSWORD: &str = "test";

/// `printf test | argon2 6c2a1f0e-94b3-4d7a-8e15-3f9b2c7d4a10 -id -t 2 -k 19456 -p 1 -l 32`:
/// the v3 passphrase of [`V3_SALT`] (the hash part of the encoded output).
const V3_SALT: &str = "6c2a1f0e-94b3-4d7a-8e15-3f9b2c7d4a10";
const V3_PASSPHRASE: &str = "hJorDmVetI15istu7K8DBNBC76X5//P6SQQ49nti7Z4";
/// `printf <V3_PASSPHRASE> | argon2 q3k9s8d7f6g5h4j2 -id -t 2 -k 19456 -p 1 -l 32 -e`.
const V3_HASH: &str = "$argon2id$v=19$m=19456,t=2,p=1$cTNrOXM4ZDdmNmc1aDRqMg$C6gktIbe2VYo/qbiCUcZ+DuDaU/mYAmxMEuvDZZyOlg";
/// [`V3_ENTRY_1`] sealed by `openssl enc -aes-256-cbc -md md5 -k <V3_PASSPHRASE>
/// -S 0011223344556677` (with the `Salted__` header).
const V3_CRYPTOJS: &str = "U2FsdGVkX18AESIzRFVmd70qXekIsan6+QsO/TRFF25cLj+jjj3HSoulufEZw08rtNYokitKWC3xZo3FZhYcK2cfRnqvOJ9NwGfz/Oal2gn6mOuNZ86373YQpqnWiUo+nM8pVuMIrQsyXMDJM8c9gWoQiP5mfNOx7KQrL64NlGMIdJmfTFR/B4rGBzaiNPenjKaNCn9ECJ1tb9S1C08U4NsJm3lRpujpe65dYg4SCCNYgHdoVOnVT9FvmCiNxTkMg6qWIf3ypFAaw8GieE48lwEVdzza8TkeUqpMDoe1e7o=";
const V3_ENTRY_1: &str = r#"{"dataType":"OTPStorage","encrypted":false,"hash":"h1","index":0,"type":"totp","secret":"JBSWY3DPEHPK3PXP","issuer":"GitHub::github.com","account":"octocat","digits":8,"period":60,"algorithm":"SHA256"}"#;
/// [`V3_ENTRY_2`] sealed by Python's `AESGCM(sha256(V3_PASSPHRASE)).encrypt(bytes(range(12)),
/// …)`, as `v4:` + base64(nonce + ciphertext + tag).
const V3_GCM: &str = "v4:AAECAwQFBgcICQoL0rIJTAoarI3WRWi4+1ZHOfSZWvsOIwMPa6sxmlIaoO5u2WBuE2iXxRgqCt53r6WipnUNKhOMMDq4YVil1hMPKYkDUnu0+c1KmsR8/HZ0UCTKANkoyuXomvZfdAhHPfQsT+xwTKK9eV4+usAbdxZ8EJxkYeuZinQA1Q0bIaVBx9ey+g4Mvd/JHmW6JatryYFyu7zPyGy/RP8aSynaVQN4PMW33xF21W1Tj7XiBKZt8s0TyQDZvOFG";
const V3_ENTRY_2: &str = r#"{"dataType":"OTPStorage","encrypted":false,"hash":"h2","index":1,"type":"hotp","secret":"GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ","issuer":"Bank","account":"me","counter":42}"#;

/// v2: bytes 00..0f sealed under [`PASSWORD`] by `openssl enc … -S 8877665544332211`.
const V2_ENC: &str = "U2FsdGVkX1+Id2ZVRDMiEaP+sdhd/ArtEskXxPmsKizak+JokjBlXs3uboaqj2B9";
const V2_PASSPHRASE: &str = "000102030405060708090a0b0c0d0e0f";
/// `printf <V2_PASSPHRASE> | argon2 v2saltsalt -id -t 1 -k 16384 -p 1 -l 24 -e`.
const V2_HASH: &str =
    "$argon2id$v=19$m=16384,t=1,p=1$djJzYWx0c2FsdA$dmWq6GW0M7rCYAQtgImweQfUmak4ruWz";
/// `JBSWY3DPEHPK3PXP` sealed under [`V2_PASSPHRASE`] (`-S 0102030405060708`).
const V2_SECRET: &str = "U2FsdGVkX18BAgMEBQYHCI+EJA/jHNfUtqrOyi8EHxDmpUuPzN1Gd4XLdxOjnWxa";

/// v1: `stm-JRZCL47CMXVOQMNPZR2F7J4RGI` sealed under [`PASSWORD`] (`-S 1112131415161718`).
const V1_STEAM: &str = "U2FsdGVkX18REhMUFRYXGE7gXxxmxrNlHCk7/eR7KuVq5xcNaaURUHD0c9tmx9kt";
/// v1: the hex key `3132…3930` (RFC 4226's "12345678901234567890") sealed under [`PASSWORD`]
/// (`-S 2122232425262728`).
const V1_HEX: &str =
    "U2FsdGVkX18hIiMkJSYnKLpC4ettoCgk4u5rn60neAUwcVtgBPLCm+R3qkJP+fXQtSutpJ/hJsWy88b3hSYEZw==";

/// The fixture generator: CryptoJS passphrase sealing with a chosen salt.
fn seal_cryptojs(plain: &str, passphrase: &str, salt: [u8; 8]) -> String {
    let (key, iv) = evp_bytes_to_key(passphrase.as_bytes(), &salt);
    let key: [u8; 32] = *key;
    let encryptor = cbc::Encryptor::<aes::Aes256>::new(&key.into(), &iv.into());
    let mut framed = b"Salted__".to_vec();
    framed.extend(salt);
    framed.extend(encryptor.encrypt_padded_vec::<Pkcs7>(plain.as_bytes()));
    Base64::encode_string(&framed)
}

/// The fixture generator: the extension's `v4:` sealing with a chosen nonce.
fn seal_v4(plain: &str, passphrase: &str, nonce: [u8; 12]) -> String {
    let key: [u8; 32] = *sha256_key(passphrase.as_bytes());
    let cipher = aes_gcm::Aes256Gcm::new(&key.into());
    let sealed = cipher
        .encrypt(&nonce.into(), plain.as_bytes())
        .expect("sealing cannot fail");
    let mut combined = nonce.to_vec();
    combined.extend(sealed);
    format!("v4:{}", Base64::encode_string(&combined))
}

/// The fixture generator: a backup file from its records.
fn backup(records: &[(&str, Value)]) -> Vec<u8> {
    let object: serde_json::Map<String, Value> = records
        .iter()
        .map(|(name, value)| ((*name).to_owned(), value.clone()))
        .collect();
    serde_json::to_vec_pretty(&Value::Object(object)).expect("JSON")
}

fn read_bytes(bytes: &[u8], password: Option<&str>) -> Result<Vec<Candidate>, TransferError> {
    read(&Input::new(bytes).expect("small"), password)
}

fn expect(issuer: &str, name: &str, secret: &str, kind: &str, extra: Value) -> Value {
    let mut want = json!({"issuer": issuer, "name": name, "secret": secret, "type": kind,
        "algorithm": "SHA1", "digits": 6, "period": 30, "counter": null});
    if kind == "hotp" {
        want["period"] = Value::Null;
    }
    if kind == "steam" {
        want["digits"] = json!(5);
    }
    for (key, value) in extra.as_object().expect("object") {
        want[key] = value.clone();
    }
    want
}

fn check_all(entries: &[Candidate], wanted: &[Value]) {
    assert_eq!(entries.len(), wanted.len(), "entry count");
    for (i, (entry, want)) in entries.iter().zip(wanted).enumerate() {
        let entry = entry
            .as_ref()
            .unwrap_or_else(|s| panic!("entry {i} skipped: {}", s.reason));
        check_entry(&format!("entry {i}"), entry, want);
    }
}

#[test]
fn the_generator_seals_as_openssl_and_python_do() {
    assert_eq!(
        seal_cryptojs(
            V3_ENTRY_1,
            V3_PASSPHRASE,
            [0, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77]
        ),
        V3_CRYPTOJS
    );
    assert_eq!(
        seal_v4(V3_ENTRY_2, V3_PASSPHRASE, std::array::from_fn(|i| i as u8)),
        V3_GCM
    );
}

#[test]
fn plain_backup_reads_every_kind_in_the_extension_order() {
    let bytes = backup(&[
        (
            "b-hotp",
            json!({"encrypted": false, "hash": "b", "index": 1, "type": "hotp",
            "secret": "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ", "issuer": "Bank", "account": "me",
            "counter": 7, "algorithm": "SHA512", "digits": 8}),
        ),
        (
            "a-totp",
            json!({"encrypted": false, "hash": "a", "index": 0, "type": "totp",
            "secret": "jbsw y3dp ehpk 3pxp", "issuer": "GitHub::github.com", "account": "octo",
            "period": 60, "algorithm": 2}),
        ),
        (
            "c-steam",
            json!({"encrypted": false, "index": 2, "type": "steam",
            "secret": "JRZCL47CMXVOQMNPZR2F7J4RGI", "issuer": "Steam", "account": "gabe"}),
        ),
        (
            "d-battle",
            json!({"encrypted": false, "index": 3, "type": "totp",
            "secret": "blz-JBSWY3DPEHPK3PXP", "issuer": "Battle.net"}),
        ),
        (
            "e-hex",
            json!({"encrypted": false, "index": 4, "type": "hex",
            "secret": "3132333435363738393031323334353637383930", "account": "hex"}),
        ),
        (
            "f-hhex",
            json!({"encrypted": false, "index": 5, "type": "hotp",
            "secret": "3132333435363738393031323334353637383930", "counter": 3}),
        ),
        ("UserSettings", json!({"offset": 0})),
    ]);
    let input = Input::new(&bytes).unwrap();
    assert_eq!(
        detect(&input),
        Some(Detected {
            format: FORMAT,
            encrypted: false
        })
    );
    let rfc = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";
    check_all(
        &read(&input, None).unwrap(),
        &[
            expect(
                "GitHub",
                "octo",
                "JBSWY3DPEHPK3PXP",
                "totp",
                json!({"period": 60, "algorithm": "SHA256"}),
            ),
            expect(
                "Bank",
                "me",
                rfc,
                "hotp",
                json!({"counter": 7, "algorithm": "SHA512", "digits": 8}),
            ),
            expect(
                "Steam",
                "gabe",
                "JRZCL47CMXVOQMNPZR2F7J4RGI",
                "steam",
                json!({}),
            ),
            expect(
                "Battle.net",
                "",
                "JBSWY3DPEHPK3PXP",
                "totp",
                json!({"digits": 8}),
            ),
            expect("", "hex", rfc, "totp", json!({})),
            expect("", "", rfc, "hotp", json!({"counter": 3})),
        ],
    );
}

#[test]
fn unsupported_entries_are_skipped_with_their_labels() {
    let bytes = backup(&[
        (
            "a",
            json!({"encrypted": false, "index": 0, "type": "totp", "secret": "JBSWY3DPEHPK3PXP",
            "issuer": "Gost", "algorithm": "GOST3411_2012_256"}),
        ),
        (
            "b",
            json!({"encrypted": false, "index": 1, "type": "yandex", "secret": "JBSWY3DPEHPK3PXP",
            "issuer": "Y"}),
        ),
        (
            "c",
            json!({"encrypted": false, "index": 2, "type": "totp", "secret": "JBSWY3DPEHPK3PXP",
            "issuer": "Long", "digits": 10}),
        ),
    ]);
    let entries = read_bytes(&bytes, None).unwrap();
    let skipped: Vec<_> = entries.iter().map(|e| e.as_ref().unwrap_err()).collect();
    assert_eq!(
        skipped[0].reason,
        Skip::Algorithm("GOST3411_2012_256".into())
    );
    assert_eq!(
        (skipped[1].issuer.as_str(), skipped[1].reason.code()),
        ("Y", "import.kind")
    );
    assert_eq!(skipped[2].reason.code(), "import.params");
}

#[test]
fn v1_backup_opens_with_the_password() {
    let bytes = backup(&[
        (
            "s",
            json!({"encrypted": true, "index": 0, "type": "totp", "secret": V1_STEAM,
            "issuer": "Steam", "account": "gabe"}),
        ),
        (
            "h",
            json!({"encrypted": true, "index": 1, "type": "totp", "secret": V1_HEX,
            "account": "rfc"}),
        ),
        (
            "p",
            json!({"encrypted": false, "index": 2, "type": "totp",
            "secret": "JBSWY3DPEHPK3PXP", "issuer": "Plain"}),
        ),
    ]);
    let input = Input::new(&bytes).unwrap();
    assert_eq!(detect(&input).map(|d| d.encrypted), Some(true));
    assert_eq!(
        read(&input, None).unwrap_err(),
        TransferError::PasswordNeeded { format: FORMAT }
    );
    assert_eq!(
        read(&input, Some("Test")).unwrap_err(),
        TransferError::WrongPassword { format: FORMAT }
    );
    check_all(
        &read(&input, Some(PASSWORD)).unwrap(),
        &[
            expect(
                "Steam",
                "gabe",
                "JRZCL47CMXVOQMNPZR2F7J4RGI",
                "steam",
                json!({}),
            ),
            expect(
                "",
                "rfc",
                "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ",
                "totp",
                json!({}),
            ),
            expect("Plain", "", "JBSWY3DPEHPK3PXP", "totp", json!({})),
        ],
    );
}

#[test]
fn v2_backup_opens_through_its_key_record() {
    let bytes = backup(&[
        ("key", json!({"enc": V2_ENC, "hash": V2_HASH})),
        (
            "x",
            json!({"encrypted": true, "index": 0, "type": "totp", "secret": V2_SECRET,
            "issuer": "Example", "account": "alice"}),
        ),
    ]);
    let entries = read_bytes(&bytes, Some(PASSWORD)).unwrap();
    check_all(
        &entries,
        &[expect(
            "Example",
            "alice",
            "JBSWY3DPEHPK3PXP",
            "totp",
            json!({}),
        )],
    );
    assert_eq!(
        read_bytes(&bytes, Some("wrong")).unwrap_err(),
        TransferError::WrongPassword { format: FORMAT }
    );
    // The generator's own v2 file (same passphrase) reads the same.
    let generated = backup(&[
        ("key", json!({"enc": V2_ENC, "hash": V2_HASH})),
        (
            "x",
            json!({"encrypted": true, "index": 0, "type": "totp", "issuer": "Example",
            "account": "alice", "secret": seal_cryptojs("JBSWY3DPEHPK3PXP", V2_PASSPHRASE, [9; 8])}),
        ),
    ]);
    assert_eq!(read_bytes(&generated, Some(PASSWORD)).unwrap(), entries);
}

fn v3_backup(hash: &str, key_id: &str) -> Vec<u8> {
    backup(&[
        (
            "k1",
            json!({"dataType": "Key", "id": "k1", "salt": V3_SALT, "hash": hash, "version": 3}),
        ),
        (
            "h2",
            json!({"dataType": "EncOTPStorage", "keyId": key_id, "data": V3_GCM, "index": 1}),
        ),
        (
            "h1",
            json!({"dataType": "EncOTPStorage", "keyId": key_id, "data": V3_CRYPTOJS, "index": 0}),
        ),
    ])
}

#[test]
fn v3_backup_opens_with_the_password() {
    let bytes = v3_backup(V3_HASH, "k1");
    let input = Input::new(&bytes).unwrap();
    assert_eq!(detect(&input).map(|d| d.encrypted), Some(true));
    assert_eq!(
        read(&input, None).unwrap_err(),
        TransferError::PasswordNeeded { format: FORMAT }
    );
    assert_eq!(
        read(&input, Some("tset")).unwrap_err(),
        TransferError::WrongPassword { format: FORMAT }
    );
    check_all(
        &read(&input, Some(PASSWORD)).unwrap(),
        &[
            expect(
                "GitHub",
                "octocat",
                "JBSWY3DPEHPK3PXP",
                "totp",
                json!({"digits": 8, "period": 60, "algorithm": "SHA256"}),
            ),
            expect(
                "Bank",
                "me",
                "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ",
                "hotp",
                json!({"counter": 42}),
            ),
        ],
    );
}

#[test]
fn v3_backup_refuses_costly_missing_or_malformed_keys() {
    let costly = "$argon2id$v=19$m=1048576,t=2,p=1$cTNrOXM4ZDdmNmc1aDRqMg$C6gktIbe2VYo/qbiCUcZ+DuDaU/mYAmxMEuvDZZyOlg";
    assert_eq!(
        read_bytes(&v3_backup(costly, "k1"), Some(PASSWORD)).unwrap_err(),
        TransferError::KdfTooCostly { format: FORMAT }
    );
    assert!(matches!(
        read_bytes(&v3_backup(V3_HASH, "k9"), Some(PASSWORD)),
        Err(TransferError::Damaged { .. })
    ));
    assert!(matches!(
        read_bytes(&v3_backup("not a hash", "k1"), Some(PASSWORD)),
        Err(TransferError::Damaged { .. })
    ));
}

#[test]
fn a_damaged_sealed_entry_is_skipped_once_the_password_is_verified() {
    let bytes = backup(&[
        (
            "k1",
            json!({"dataType": "Key", "id": "k1", "salt": V3_SALT, "hash": V3_HASH}),
        ),
        (
            "a",
            json!({"dataType": "EncOTPStorage", "keyId": "k1", "data": V3_CRYPTOJS, "index": 0}),
        ),
        (
            "b",
            json!({"dataType": "EncOTPStorage", "keyId": "k1", "data": "v4:AAAA", "index": 1}),
        ),
    ]);
    let entries = read_bytes(&bytes, Some(PASSWORD)).unwrap();
    assert!(entries[0].is_ok());
    assert_eq!(entries[1].as_ref().unwrap_err().reason, Skip::Field("data"));
}

#[test]
fn too_many_keys_are_refused_before_any_derivation() {
    let mut records = Vec::new();
    for i in 0..=MAX_KEYS {
        records.push((
            format!("e{i}"),
            json!({"dataType": "EncOTPStorage", "keyId": format!("k{i}"), "data": "x", "index": i}),
        ));
    }
    let records: Vec<(&str, Value)> = records
        .iter()
        .map(|(n, v)| (n.as_str(), v.clone()))
        .collect();
    assert!(matches!(
        read_bytes(&backup(&records), Some(PASSWORD)),
        Err(TransferError::Damaged { .. })
    ));
}

#[test]
fn other_json_is_not_an_extension_backup() {
    for json in [
        &br#"{"a": 1}"#[..],
        br#"[{"secret": "x"}]"#,
        br#"{"key": {"enc": "x"}}"#,
    ] {
        assert_eq!(detect(&Input::new(json).unwrap()), None);
    }
}
