//! An input analysed once, so every format's detection looks at the same prepared views.

use super::{Format, MAX_INPUT_BYTES, TransferError};

/// The bytes of a file or pasted text, with the views detection needs: the text (when it is
/// UTF-8, without a byte-order mark) and the JSON value (when the text is a JSON document).
pub struct Input<'a> {
    /// The input as given.
    pub bytes: &'a [u8],
    /// The input as text, when it is UTF-8 (a leading byte-order mark removed).
    pub text: Option<&'a str>,
    /// The parsed document, when the text is JSON (starts with `{` or `[`).
    pub json: Option<serde_json::Value>,
}

/// What detection found: which format, and whether it needs a password.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Detected {
    /// The format.
    pub format: Format,
    /// True when the entries are encrypted and a password is needed.
    pub encrypted: bool,
}

impl<'a> Input<'a> {
    /// Prepares `bytes`, refusing inputs over [`MAX_INPUT_BYTES`] before looking at them.
    ///
    /// # Errors
    /// [`TransferError::TooLarge`].
    pub fn new(bytes: &'a [u8]) -> Result<Self, TransferError> {
        if bytes.len() > MAX_INPUT_BYTES {
            return Err(TransferError::TooLarge { bytes: bytes.len() });
        }
        let text = std::str::from_utf8(bytes)
            .ok()
            .map(|t| t.strip_prefix('\u{feff}').unwrap_or(t));
        let json = text
            .filter(|t| matches!(t.trim_start().as_bytes().first(), Some(b'{' | b'[')))
            .and_then(|t| serde_json::from_str(t).ok());
        Ok(Self { bytes, text, json })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_oversized_input_before_reading_it() {
        let big = vec![b'{'; MAX_INPUT_BYTES + 1];
        assert!(matches!(
            Input::new(&big),
            Err(TransferError::TooLarge { .. })
        ));
    }

    #[test]
    fn prepares_text_and_json_views() {
        let input = Input::new("\u{feff} {\"a\": 1}".as_bytes()).unwrap();
        assert_eq!(input.text, Some(" {\"a\": 1}"));
        assert_eq!(input.json, Some(serde_json::json!({"a": 1})));
        let binary = Input::new(&[0xff, 0x00]).unwrap();
        assert!(binary.text.is_none() && binary.json.is_none());
    }
}
