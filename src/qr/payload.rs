//! What a decoded code holds, and which of ours it is.

use std::fmt;

use zeroize::Zeroize;

/// The content of one decoded QR code: its bytes, which are text for every code this extension
/// reads. An `otpauth://` link holds a key, so the bytes are zeroised on drop and `Debug` shows
/// only the kind and length.
#[derive(Clone, PartialEq, Eq)]
pub struct Payload {
    bytes: Vec<u8>,
}

/// Which kind of code a [`Payload`] is, so the view can route it without reading it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PayloadKind {
    /// One account: `otpauth://totp/…` or `otpauth://hotp/…` (any letter case of the scheme).
    Otpauth,
    /// A Google Authenticator transfer (`otpauth-migration://offline?data=…`).
    Migration,
    /// Any other text (a web address, a bare key, …).
    Text,
    /// Bytes that are not UTF-8 text.
    Binary,
}

impl PayloadKind {
    /// Stable identifier for the bindings: `otpauth`, `otpauth-migration`, `text`, `binary`.
    pub fn id(self) -> &'static str {
        match self {
            Self::Otpauth => "otpauth",
            Self::Migration => "otpauth-migration",
            Self::Text => "text",
            Self::Binary => "binary",
        }
    }
}

impl Payload {
    /// Wraps the bytes a decoder produced.
    pub fn new(bytes: Vec<u8>) -> Self {
        Self { bytes }
    }

    /// The raw bytes (byte-mode codes may hold any bytes).
    pub fn bytes(&self) -> &[u8] {
        &self.bytes
    }

    /// The content as text, when it is UTF-8.
    pub fn text(&self) -> Option<&str> {
        std::str::from_utf8(&self.bytes).ok()
    }

    /// Which kind of code this is, from its scheme (case-insensitive, as URI schemes are).
    pub fn kind(&self) -> PayloadKind {
        let Some(text) = self.text() else {
            return PayloadKind::Binary;
        };
        let starts = |prefix: &str| {
            text.get(..prefix.len())
                .is_some_and(|head| head.eq_ignore_ascii_case(prefix))
        };
        if starts("otpauth://") {
            PayloadKind::Otpauth
        } else if starts("otpauth-migration://") {
            PayloadKind::Migration
        } else {
            PayloadKind::Text
        }
    }
}

impl Drop for Payload {
    fn drop(&mut self) {
        self.bytes.zeroize();
    }
}

impl fmt::Debug for Payload {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "Payload({}, {} bytes)",
            self.kind().id(),
            self.bytes.len()
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_come_from_the_scheme_in_any_case() {
        let kind = |s: &[u8]| Payload::new(s.to_vec()).kind();
        assert_eq!(kind(b"otpauth://totp/a?secret=AA"), PayloadKind::Otpauth);
        assert_eq!(kind(b"OTPAUTH://hotp/a"), PayloadKind::Otpauth);
        assert_eq!(
            kind(b"otpauth-migration://offline?data=CgA%3D"),
            PayloadKind::Migration
        );
        assert_eq!(kind(b"https://example.com"), PayloadKind::Text);
        assert_eq!(kind(b"otpauth:/"), PayloadKind::Text);
        assert_eq!(kind(b""), PayloadKind::Text);
        assert_eq!(kind(&[0xff, 0xfe]), PayloadKind::Binary);
    }

    #[test]
    fn debug_never_shows_the_content() {
        let p = Payload::new(b"otpauth://totp/a?secret=JBSWY3DPEHPK3PXP".to_vec());
        let shown = format!("{p:?}");
        assert_eq!(shown, "Payload(otpauth, 40 bytes)");
        assert!(!shown.contains("JBSW"));
    }
}
