//! `otpauth://` links, one per line: a generic list, Ente Auth's text export (its extra
//! `codeDisplay` parameter is ignored like any unknown parameter), the Authenticator browser
//! extension's plain text export, or links pasted into **Text to import**.
//!
//! Lines are trimmed (CRLF line ends, surrounding spaces) and blank lines skipped. A line that
//! cannot be read, or is not a link at all, becomes a [`SkippedEntry`] with its reason; the rest
//! of the list is still read. Labels are exactly what the link says, empty ones included.

use zeroize::Zeroizing;

use super::{
    Candidate, Detected, ExportEntry, Format, ImportedEntry, Input, Skip, SkippedEntry,
    TransferError,
};
use crate::account::AccountDraft;
use crate::uri::{UriError, format_uri, parse_uri, strip_prefix_ignore_case, uri_labels};

/// Content check: some line of the text (not a JSON document) is an `otpauth://` link.
pub fn detect(input: &Input) -> Option<Detected> {
    if input.json.is_some() {
        return None;
    }
    lines(input.text?).any(is_link).then_some(Detected {
        format: Format::OtpauthList,
        encrypted: false,
    })
}

/// Reads every line, in order. The password is ignored (such lists are never encrypted).
///
/// # Errors
/// None today: every line yields a candidate. The `Result` keeps the shape every format has.
pub fn read(input: &Input, _password: Option<&str>) -> Result<Vec<Candidate>, TransferError> {
    Ok(input
        .text
        .map(lines)
        .into_iter()
        .flatten()
        .map(read_line)
        .collect())
}

/// The non-blank lines of `text`, trimmed.
pub(crate) fn lines(text: &str) -> impl Iterator<Item = &str> {
    text.lines().map(str::trim).filter(|line| !line.is_empty())
}

/// True when `line` starts with `otpauth://` (any case).
pub(crate) fn is_link(line: &str) -> bool {
    strip_prefix_ignore_case(line, "otpauth://").is_some()
}

/// One line: an entry, or why it cannot be imported (with the labels, when they can be read).
pub fn read_line(line: &str) -> Candidate {
    match parse_uri(line) {
        Ok(draft) => Ok(ImportedEntry::from(draft)),
        Err(error) => {
            let (issuer, name) = uri_labels(line).unwrap_or_default();
            Err(SkippedEntry {
                issuer,
                name,
                reason: skip_for(error),
            })
        }
    }
}

/// The reason shown for a link that cannot be imported: the shared reasons where one fits, so
/// "MD5 is not supported" reads the same whichever format it came from.
fn skip_for(error: UriError) -> Skip {
    match error {
        UriError::UnknownType(kind) => Skip::kind(&kind),
        UriError::UnknownAlgorithm(name) => Skip::algorithm(&name),
        UriError::MissingSecret => Skip::NoKey,
        UriError::Secret(error) => Skip::Key(error),
        UriError::Params(error) => Skip::Params(error),
        other => Skip::Link(other),
    }
}

/// Writes `entries` as the **Plain otpauth list**: one `otpauth://` link per line (each as
/// [`format_uri`] writes it, so [`read`] gives the same accounts back), ending with a line end.
/// Every key is in the clear; the text is zeroised when dropped.
pub fn write(entries: &[ExportEntry<'_>]) -> Zeroizing<String> {
    let mut text = Zeroizing::new(String::with_capacity(entries.len() * 128));
    for entry in entries {
        let draft = AccountDraft {
            issuer: entry.issuer.to_owned(),
            name: entry.name.to_owned(),
            params: entry.params,
            secret: entry.secret.clone(),
        };
        let link = Zeroizing::new(format_uri(&draft));
        text.push_str(&link);
        text.push('\n');
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::otp::{Algorithm, OtpKind};
    use crate::secret::SecretError;

    fn read_text(text: &str) -> Vec<Candidate> {
        let input = Input::new(text.as_bytes()).unwrap();
        assert!(detect(&input).is_some(), "{text:?}");
        read(&input, None).unwrap()
    }

    #[test]
    fn tolerates_crlf_blank_lines_and_spaces() {
        let text = "\r\n  otpauth://totp/A:a?secret=JBSWY3DPEHPK3PXP  \r\n\r\n\totpauth://hotp/B:b?secret=JBSWY3DPEHPK3PXP&counter=3\r\n";
        let entries = read_text(text);
        assert_eq!(entries.len(), 2);
        let second = entries[1].as_ref().unwrap();
        assert_eq!((second.issuer.as_str(), second.name.as_str()), ("B", "b"));
        assert_eq!(second.params.kind, OtpKind::Hotp { counter: 3 });
    }

    #[test]
    fn bad_lines_are_skipped_with_their_reason_and_labels() {
        let text = "otpauth://totp/Co:me?secret=JBSWY3DPEHPK3PXP&algorithm=MD5\n\
                    otpauth://motp/X:y?secret=JBSWY3DPEHPK3PXP\n\
                    otpauth://totp/Z:z\n\
                    otpauth://totp/K:k?secret=JBSWY3DP1HPK3PXP\n\
                    just some words\n\
                    otpauth://totp/W:w?secret=JBSWY3DPEHPK3PXP&digits=eight\n\
                    OTPAUTH://TOTP/ok?secret=jbswy3dpehpk3pxp&algorithm=sha512";
        let entries = read_text(text);
        let reasons: Vec<_> = entries
            .iter()
            .map(|c| c.as_ref().err().map(|s| s.reason.code()))
            .collect();
        assert_eq!(
            reasons,
            [
                Some("import.algorithm"),
                Some("import.kind"),
                Some("import.no-key"),
                Some("import.key"),
                Some("import.link"),
                Some("import.link"),
                None
            ]
        );
        let first = entries[0].as_ref().unwrap_err();
        assert_eq!((first.issuer.as_str(), first.name.as_str()), ("Co", "me"));
        assert_eq!(first.reason.to_string(), "MD5 is not supported");
        assert!(matches!(
            entries[3].as_ref().unwrap_err().reason,
            Skip::Key(SecretError::InvalidCharacter { character: '1', .. })
        ));
        let words = entries[4].as_ref().unwrap_err();
        assert_eq!((words.issuer.as_str(), words.name.as_str()), ("", ""));
        assert_eq!(
            entries[6].as_ref().unwrap().params.algorithm,
            Algorithm::Sha512
        );
    }

    #[test]
    fn empty_labels_stay_empty() {
        let entries = read_text("otpauth://totp/?secret=JBSWY3DPEHPK3PXP");
        let entry = entries[0].as_ref().unwrap();
        assert_eq!((entry.issuer.as_str(), entry.name.as_str()), ("", ""));
    }

    #[test]
    fn not_detected_without_a_link_or_in_json() {
        for text in [
            "",
            "hello\nworld",
            r#"{"uri": "otpauth://totp/x?secret=A"}"#,
        ] {
            let input = Input::new(text.as_bytes()).unwrap();
            assert!(detect(&input).is_none(), "{text:?}");
        }
        let input = Input::new(&[0xff, b'o']).unwrap();
        assert!(detect(&input).is_none());
    }
}

#[cfg(test)]
mod writer_tests {
    use super::*;
    use crate::otp::{Algorithm, OtpKind, OtpParams};
    use crate::secret::Secret;

    #[test]
    fn written_list_reads_back_line_by_line() {
        let secret = Secret::from_base32("JBSWY3DPEHPK3PXP").unwrap();
        let hotp = OtpParams {
            kind: OtpKind::Hotp { counter: u64::MAX },
            algorithm: Algorithm::Sha256,
            digits: 8,
        };
        let entries = [
            ExportEntry {
                issuer: "Ex:ample & Co",
                name: "ä@b.c",
                params: hotp,
                secret: &secret,
            },
            ExportEntry {
                issuer: "",
                name: "no issuer",
                params: OtpParams::default(),
                secret: &secret,
            },
        ];
        let text = write(&entries);
        assert_eq!(text.lines().count(), 2);
        assert!(text.ends_with('\n'));
        let input = Input::new(text.as_bytes()).unwrap();
        let read = read(&input, None).unwrap();
        for (entry, candidate) in entries.iter().zip(&read) {
            let got = candidate.as_ref().unwrap();
            assert_eq!(
                (got.issuer.as_str(), got.name.as_str()),
                (entry.issuer, entry.name)
            );
            assert_eq!(got.params, entry.params);
            assert!(got.secret == secret);
        }
    }
}
