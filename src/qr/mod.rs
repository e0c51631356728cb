//! QR codes: reading every code in a picture (a capture of the visible tab, a screenshot file)
//! and drawing one for a phone to scan. Pure Rust like the rest of the core: pixels in, payloads
//! out; the bindings of the second WebAssembly module (`src/wasm/transfer/`) pass the pixels.
//!
//! Decoding is `quircs`' (a port of quirc), on the picture and on enlarged and thresholded
//! versions of it (`search.rs`): 99.8% of the decode-rate bench's corpus at 2 or more pixels per
//! module, where `quircs` alone reads 89% and `rqrr` 75% (`bench/qr/`, README "QR codes").
//! Encoding is the `qrcode` crate's.
//!
//! ```
//! use toolbar_authenticator::qr::{decode_luma, encode};
//!
//! let link = "otpauth://totp/Example:alice?secret=JBSWY3DPEHPK3PXP&issuer=Example";
//! let matrix = encode(link)?;
//! // Draw it at 3 pixels per module, dark modules black on white.
//! let ppm = 3;
//! let side = matrix.side() * ppm;
//! let luma: Vec<u8> = (0..side * side)
//!     .map(|i| if matrix.is_dark_at((i % side) / ppm, (i / side) / ppm) { 0 } else { 255 })
//!     .collect();
//! let found = decode_luma(side, side, &luma)?;
//! assert_eq!(found.len(), 1);
//! assert_eq!(found[0].text(), Some(link));
//! # Ok::<(), toolbar_authenticator::qr::QrError>(())
//! ```

mod binarize;
mod decode;
mod encode;
mod error;
mod payload;
mod resample;
mod search;
mod share;

pub use decode::{decode_luma, decode_rgba};
pub use encode::{QrMatrix, encode};
pub use error::QrError;
pub use payload::{Payload, PayloadKind};
pub use share::{GoogleCodes, ShareError, account_code, google_codes, google_codes_with_id};

/// Widest or tallest picture decoded, in pixels. A 16K display's full width; a capture is never
/// larger.
pub const MAX_SIDE: usize = 16_384;

/// Most pixels in one picture decoded: 40 megapixels (an 8K capture is 33). The decoder needs
/// about 4 bytes per pixel besides the RGBA input (greyscale, inverted, and quircs' 2-byte
/// labels), so this bounds its memory to about 160 MB.
pub const MAX_PIXELS: usize = 40_000_000;

/// Quiet zone drawn around an encoded code, in modules (the QR standard's minimum).
pub const QUIET_ZONE: usize = 4;
