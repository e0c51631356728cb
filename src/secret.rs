//! Secret keys: parsing what people type, and keeping the bytes out of sight.
//!
//! A [`Secret`] is the decoded key of one account. It is built from the base32 text a website
//! shows ([`Secret::from_base32`]) or from raw bytes, zeroises its memory when dropped, and never
//! prints its contents.

use std::fmt;

use zeroize::{Zeroize, Zeroizing};

use crate::coded::{Coded, MessageValue};

/// Fewest bytes a key may decode to: 80 bits, the minimum RFC 4226 allows.
pub const MIN_SECRET_BYTES: usize = 10;

/// Most base32 characters accepted in one key (the longest real keys are 128 characters).
pub const MAX_SECRET_CHARS: usize = 1024;

/// Why a typed key was refused. Every message says what to fix.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SecretError {
    /// Nothing but separators was entered.
    Empty,
    /// A character outside the base32 alphabet.
    InvalidCharacter {
        /// The offending character.
        character: char,
        /// Its 1-based position in the text as typed.
        position: usize,
    },
    /// `=` padding followed by more key characters.
    PaddingInMiddle {
        /// 1-based position of the first `=`.
        position: usize,
    },
    /// A number of base32 characters no encoder can produce (1, 3 or 6 past a multiple of 8).
    ImpossibleLength {
        /// Count of base32 characters, separators and padding excluded.
        characters: usize,
    },
    /// The key decodes to fewer than [`MIN_SECRET_BYTES`] bytes.
    TooShort {
        /// Decoded length in bits.
        bits: usize,
    },
    /// More than [`MAX_SECRET_CHARS`] characters.
    TooLong {
        /// Count of letters and digits in the text.
        characters: usize,
    },
}

impl fmt::Display for SecretError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Empty => f.write_str("Enter the secret key the website shows you."),
            Self::InvalidCharacter {
                character,
                position,
            } => {
                let shown = if character.is_control() {
                    character.escape_unicode().to_string()
                } else {
                    character.to_string()
                };
                write!(
                    f,
                    "The key contains '{shown}' at position {position}; keys use only letters A–Z and digits 2–7"
                )?;
                match character {
                    '0' => f.write_str(" (did you mean the letter O?)."),
                    '1' => f.write_str(" (did you mean the letter I or L?)."),
                    '8' => f.write_str(" (did you mean the letter B?)."),
                    _ => f.write_str("."),
                }
            }
            Self::PaddingInMiddle { position } => write!(
                f,
                "The key has '=' at position {position} followed by more characters; '=' may only appear at the end."
            ),
            Self::ImpossibleLength { characters } => write!(
                f,
                "The key has {characters} characters, a length no valid key has; check for a missing or extra character."
            ),
            Self::TooShort { bits } => write!(
                f,
                "The key is too short ({bits} bits); keys must be at least 80 bits (16 characters)."
            ),
            Self::TooLong { characters } => write!(
                f,
                "The key is too long ({characters} characters); at most {MAX_SECRET_CHARS} are accepted."
            ),
        }
    }
}

impl std::error::Error for SecretError {}

impl Coded for SecretError {
    fn code(&self) -> &'static str {
        match self {
            Self::Empty => "secret.empty",
            Self::InvalidCharacter { .. } => "secret.invalid-character",
            Self::PaddingInMiddle { .. } => "secret.padding",
            Self::ImpossibleLength { .. } => "secret.length",
            Self::TooShort { .. } => "secret.too-short",
            Self::TooLong { .. } => "secret.too-long",
        }
    }

    fn field(&self) -> Option<&'static str> {
        Some("secret")
    }

    /// The look-alike hint: a `0`, `1` or `8` typed for a letter.
    fn detail(&self) -> Option<&'static str> {
        match self {
            Self::InvalidCharacter { character: '0', .. } => Some("secret.invalid-character-zero"),
            Self::InvalidCharacter { character: '1', .. } => Some("secret.invalid-character-one"),
            Self::InvalidCharacter { character: '8', .. } => Some("secret.invalid-character-eight"),
            _ => None,
        }
    }

    /// The refused character is not part of any key (it is outside the alphabet); control
    /// characters are shown escaped.
    fn values(&self) -> Vec<MessageValue> {
        match self {
            Self::Empty => Vec::new(),
            Self::InvalidCharacter {
                character,
                position,
            } => {
                let shown: String = if character.is_control() {
                    character.escape_unicode().collect()
                } else {
                    String::from(*character)
                };
                vec![MessageValue::Text(shown), MessageValue::number(*position)]
            }
            Self::PaddingInMiddle { position } => vec![MessageValue::number(*position)],
            Self::ImpossibleLength { characters } => vec![MessageValue::number(*characters)],
            Self::TooShort { bits } => vec![MessageValue::number(*bits)],
            Self::TooLong { characters } => vec![
                MessageValue::number(*characters),
                MessageValue::number(MAX_SECRET_CHARS),
            ],
        }
    }
}

/// The decoded key bytes of one account.
///
/// Zeroised on drop; `Debug` prints `Secret(<redacted>)`.
///
/// ```
/// use toolbar_authenticator::secret::Secret;
/// let secret = Secret::from_base32("jbsw y3dp-ehpk 3pxp").unwrap();
/// assert_eq!(secret.as_bytes(), b"Hello!\xde\xad\xbe\xef");
/// assert_eq!(format!("{secret:?}"), "Secret(<redacted>)");
/// ```
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(Zeroizing<Vec<u8>>);

impl Secret {
    /// Parses a base32 key (RFC 4648) as people type it.
    ///
    /// Case-insensitive; spaces, hyphens and trailing `=` padding are ignored. Anything else is
    /// refused with an error naming the character and its position.
    ///
    /// # Errors
    /// See [`SecretError`]: empty, bad character, padding in the middle, impossible length, under
    /// 80 bits, or over [`MAX_SECRET_CHARS`] characters.
    pub fn from_base32(text: &str) -> Result<Self, SecretError> {
        let cleaned = normalise_base32(text)?;
        let decoded = base32::decode(base32::Alphabet::Rfc4648 { padding: false }, &cleaned)
            .ok_or(SecretError::ImpossibleLength {
                characters: cleaned.len(),
            })?;
        let secret = Self(Zeroizing::new(decoded));
        if secret.0.len() < MIN_SECRET_BYTES {
            return Err(SecretError::TooShort {
                bits: secret.0.len() * 8,
            });
        }
        Ok(secret)
    }

    /// Wraps raw key bytes. The caller's buffer is zeroised.
    ///
    /// # Errors
    /// [`SecretError::Empty`] or [`SecretError::TooShort`] when under 80 bits.
    pub fn from_bytes(bytes: &mut [u8]) -> Result<Self, SecretError> {
        let secret = Self(Zeroizing::new(bytes.to_vec()));
        bytes.zeroize();
        match secret.0.len() {
            0 => Err(SecretError::Empty),
            n if n < MIN_SECRET_BYTES => Err(SecretError::TooShort { bits: n * 8 }),
            _ => Ok(secret),
        }
    }

    /// The key bytes, for computing codes.
    pub fn as_bytes(&self) -> &[u8] {
        &self.0
    }

    /// The key as unpadded uppercase base32, the form `otpauth://` URIs and the vault use.
    pub fn to_base32(&self) -> Zeroizing<String> {
        Zeroizing::new(base32::encode(
            base32::Alphabet::Rfc4648 { padding: false },
            &self.0,
        ))
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(<redacted>)")
    }
}

/// Strips separators and padding, uppercases, and checks every character.
fn normalise_base32(text: &str) -> Result<Zeroizing<String>, SecretError> {
    let mut cleaned = Zeroizing::new(String::with_capacity(text.len()));
    let mut first_padding: Option<usize> = None;
    for (index, character) in text.chars().enumerate() {
        let position = index + 1;
        match character {
            ' ' | '\t' | '-' | '\u{a0}' => {}
            '=' => {
                first_padding.get_or_insert(position);
            }
            'a'..='z' | 'A'..='Z' | '2'..='7' => {
                if let Some(position) = first_padding {
                    return Err(SecretError::PaddingInMiddle { position });
                }
                cleaned.push(character.to_ascii_uppercase());
            }
            _ => {
                return Err(SecretError::InvalidCharacter {
                    character,
                    position,
                });
            }
        }
        if cleaned.len() > MAX_SECRET_CHARS {
            return Err(SecretError::TooLong {
                characters: text.chars().filter(char::is_ascii_alphanumeric).count(),
            });
        }
    }
    match cleaned.len() {
        0 => Err(SecretError::Empty),
        n if matches!(n % 8, 1 | 3 | 6) => Err(SecretError::ImpossibleLength { characters: n }),
        _ => Ok(cleaned),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const RFC_KEY: &[u8] = b"12345678901234567890";

    #[test]
    fn decodes_rfc_key_in_every_tolerated_form() {
        for text in [
            "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ",
            "gezdgnbvgy3tqojqgezdgnbvgy3tqojq",
            "GEZD GNBV GY3T QOJQ GEZD GNBV GY3T QOJQ",
            "gezd-gnbv-gy3t-qojq-gezd-gnbv-gy3t-qojq",
            " GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ ",
        ] {
            let secret = Secret::from_base32(text).unwrap();
            assert_eq!(secret.as_bytes(), RFC_KEY, "{text}");
        }
    }

    #[test]
    fn accepts_trailing_padding() {
        let secret =
            Secret::from_base32("GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQGEZA====")
                .unwrap();
        assert_eq!(secret.as_bytes(), b"12345678901234567890123456789012");
    }

    #[test]
    fn names_the_bad_character_and_position() {
        let err = Secret::from_base32("JBSWY31PEHPK3PXP").unwrap_err();
        assert_eq!(
            err,
            SecretError::InvalidCharacter {
                character: '1',
                position: 7
            }
        );
        assert_eq!(
            err.to_string(),
            "The key contains '1' at position 7; keys use only letters A–Z and digits 2–7 (did you mean the letter I or L?)."
        );
        let err = Secret::from_base32("JBSW Y3D0 EHPK 3PXP").unwrap_err();
        assert!(err.to_string().contains("'0' at position 9"));
        assert!(err.to_string().contains("letter O"));
        let err = Secret::from_base32("JBSWY3DPEHPK3PX!").unwrap_err();
        assert!(err.to_string().ends_with("digits 2–7."));
    }

    #[test]
    fn refuses_empty_short_and_impossible_lengths() {
        assert_eq!(Secret::from_base32(""), Err(SecretError::Empty));
        assert_eq!(Secret::from_base32(" - = "), Err(SecretError::Empty));
        assert_eq!(
            Secret::from_base32("JBSWY3DPEHPK3PX").unwrap_err(),
            SecretError::TooShort { bits: 72 }
        );
        assert_eq!(
            Secret::from_base32("JBSWY3DPEHPK3PXPA").unwrap_err(),
            SecretError::ImpossibleLength { characters: 17 }
        );
        assert_eq!(
            Secret::from_base32("JBSWY3DP=EHPK3PXP").unwrap_err(),
            SecretError::PaddingInMiddle { position: 9 }
        );
        let long = "A".repeat(MAX_SECRET_CHARS + 8);
        assert!(matches!(
            Secret::from_base32(&long),
            Err(SecretError::TooLong { .. })
        ));
    }

    #[test]
    fn never_prints_the_key() {
        let secret = Secret::from_base32("GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ").unwrap();
        let shown = format!("{secret:?} {:?}", Some(&secret));
        assert!(!shown.contains("GEZD"));
        assert!(!shown.contains("49"));
    }

    #[test]
    fn base32_round_trip() {
        let mut bytes = RFC_KEY.to_vec();
        let secret = Secret::from_bytes(&mut bytes).unwrap();
        assert!(bytes.iter().all(|b| *b == 0));
        assert_eq!(
            secret.to_base32().as_str(),
            "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"
        );
    }
}
