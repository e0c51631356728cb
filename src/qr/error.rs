//! Why a picture cannot be searched or a text cannot be drawn as a QR code.

use std::fmt;

use super::{MAX_PIXELS, MAX_SIDE};
use crate::coded::{Coded, MessageValue};

/// Why a picture cannot be searched for QR codes, or a text cannot be encoded as one. Finding no
/// code is not an error: decoding then returns an empty list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum QrError {
    /// The picture is wider or taller than [`MAX_SIDE`], or has more than [`MAX_PIXELS`].
    ImageTooLarge {
        /// Its width in pixels.
        width: usize,
        /// Its height in pixels.
        height: usize,
    },
    /// The pixel buffer's length is not width × height × bytes per pixel.
    ImageSize {
        /// Bytes expected from the dimensions.
        expected: usize,
        /// Bytes given.
        actual: usize,
    },
    /// The text does not fit in the largest QR code (version 40) at error correction level M.
    TextTooLong {
        /// The text's length in bytes.
        bytes: usize,
    },
}

impl QrError {
    /// Stable machine-readable code.
    pub fn code(&self) -> &'static str {
        match self {
            Self::ImageTooLarge { .. } => "qr.image-too-large",
            Self::ImageSize { .. } => "qr.image-size",
            Self::TextTooLong { .. } => "qr.text-too-long",
        }
    }
}

impl fmt::Display for QrError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::ImageTooLarge { width, height } => write!(
                f,
                "The picture is {width} × {height} pixels; QR codes are read from pictures up \
                 to {MAX_SIDE} pixels a side and {MAX_PIXELS} pixels in all. Use a smaller \
                 screenshot or crop it around the code."
            ),
            Self::ImageSize { expected, actual } => write!(
                f,
                "The picture's pixel data has {actual} bytes where its size needs {expected}; \
                 it was not read correctly. Try the picture again."
            ),
            Self::TextTooLong { bytes } => write!(
                f,
                "The text is {bytes} bytes, more than one QR code can hold at error correction \
                 level M (2,331 bytes). Export fewer accounts per code."
            ),
        }
    }
}

impl std::error::Error for QrError {}

impl Coded for QrError {
    fn code(&self) -> &'static str {
        QrError::code(self)
    }

    fn values(&self) -> Vec<MessageValue> {
        match self {
            Self::ImageTooLarge { width, height } => vec![
                MessageValue::number(*width),
                MessageValue::number(*height),
                MessageValue::number(MAX_SIDE),
                MessageValue::number(MAX_PIXELS),
            ],
            Self::ImageSize { expected, actual } => {
                vec![
                    MessageValue::number(*actual),
                    MessageValue::number(*expected),
                ]
            }
            Self::TextTooLong { bytes } => vec![MessageValue::number(*bytes)],
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_stable_and_messages_say_what_to_do() {
        let errors = [
            QrError::ImageTooLarge {
                width: 20_000,
                height: 10,
            },
            QrError::ImageSize {
                expected: 4,
                actual: 3,
            },
            QrError::TextTooLong { bytes: 3000 },
        ];
        let codes: Vec<_> = errors.iter().map(QrError::code).collect();
        assert_eq!(
            codes,
            ["qr.image-too-large", "qr.image-size", "qr.text-too-long"]
        );
        for e in &errors {
            let text = e.to_string();
            assert!(text.ends_with('.'), "{text}");
            assert!(text.len() > 40, "{text}");
        }
    }
}
