//! Drawing a text as a QR code: the module matrix, and an SVG path of its dark modules that the
//! view sets with `setAttribute` (no markup is ever built from text).

use std::fmt::Write as _;

use qrcode::{Color, EcLevel, QrCode, Version};

use super::{QUIET_ZONE, QrError};

/// A QR code's modules, without the quiet zone: row by row, `true` for dark.
#[derive(Clone, PartialEq, Eq)]
pub struct QrMatrix {
    /// Modules per side (21 for version 1, 4 more per version up to 177).
    pub size: usize,
    /// `size * size` modules, row by row; `true` is dark.
    pub dark: Vec<bool>,
    /// The QR version (1–40) the encoder chose: the smallest that holds the text.
    pub version: u8,
}

/// Encodes `text` as the smallest QR code that holds it at error correction level M (15% of
/// the code may be damaged or covered and it still reads), the level phone authenticators
/// expect. The encoder picks numeric, alphanumeric or byte segments to keep the code small.
pub fn encode(text: &str) -> Result<QrMatrix, QrError> {
    let code = QrCode::with_error_correction_level(text.as_bytes(), EcLevel::M)
        .map_err(|_| QrError::TextTooLong { bytes: text.len() })?;
    let version = match code.version() {
        Version::Normal(v) | Version::Micro(v) => u8::try_from(v).unwrap_or(0),
    };
    Ok(QrMatrix {
        size: code.width(),
        dark: code
            .into_colors()
            .into_iter()
            .map(|c| c == Color::Dark)
            .collect(),
        version,
    })
}

impl QrMatrix {
    /// Modules per side including the quiet zone of [`QUIET_ZONE`] modules on every side: the
    /// square to draw (an SVG `viewBox` of `0 0 side side`).
    pub fn side(&self) -> usize {
        self.size + 2 * QUIET_ZONE
    }

    /// Whether the module at column `x`, row `y` of the drawn square (quiet zone included) is
    /// dark. Outside the square is light.
    pub fn is_dark_at(&self, x: usize, y: usize) -> bool {
        let (Some(x), Some(y)) = (x.checked_sub(QUIET_ZONE), y.checked_sub(QUIET_ZONE)) else {
            return false;
        };
        x < self.size && y < self.size && self.dark[y * self.size + x]
    }

    /// An SVG path `d` of every dark module, in the coordinates of the drawn square (quiet zone
    /// included, one unit per module): each run of dark modules in a row is one rectangle
    /// (`M x y h n v1 h-n z`). Fill it on a light square of [`QrMatrix::side`] units.
    pub fn svg_path(&self) -> String {
        let mut d = String::new();
        for y in 0..self.size {
            let row = &self.dark[y * self.size..(y + 1) * self.size];
            let mut x = 0;
            while x < self.size {
                if !row[x] {
                    x += 1;
                    continue;
                }
                let start = x;
                while x < self.size && row[x] {
                    x += 1;
                }
                let run = x - start;
                // Writing to a String cannot fail.
                let _ = write!(
                    d,
                    "M{} {}h{run}v1h-{run}z",
                    start + QUIET_ZONE,
                    y + QUIET_ZONE
                );
            }
        }
        d
    }
}

impl std::fmt::Debug for QrMatrix {
    /// The modules spell the encoded text (maybe a key), so only the shape is shown.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "QrMatrix(version {}, {} modules)",
            self.version, self.size
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn smallest_version_at_level_m_with_a_quiet_zone() {
        // Version 1-M holds 14 bytes; 15 need version 2.
        let v1 = encode("otpauth://abcd").unwrap();
        assert_eq!((v1.version, v1.size, v1.side()), (1, 21, 29));
        let v2 = encode("otpauth://abcde").unwrap();
        assert_eq!((v2.version, v2.size), (2, 25));
        assert_eq!(v2.dark.len(), 25 * 25);
        // The quiet zone is light; the finder pattern's corner is dark.
        assert!(!v1.is_dark_at(3, 3));
        assert!(v1.is_dark_at(4, 4));
        assert!(!v1.is_dark_at(29, 4));
    }

    #[test]
    fn too_long_text_is_refused_with_its_length() {
        let text = "A".repeat(2332 * 2);
        let error = encode(&text).unwrap_err();
        assert_eq!(error, QrError::TextTooLong { bytes: 4664 });
        // Byte mode at version 40-M holds 2,331 bytes.
        assert!(encode(&"\u{e9}".repeat(1165)).is_ok());
        assert!(encode(&"\u{e9}".repeat(1166)).is_err());
    }

    #[test]
    fn the_path_covers_exactly_the_dark_modules() {
        let m = encode("otpauth://totp/Example:alice?secret=JBSWY3DPEHPK3PXP").unwrap();
        let mut painted = vec![false; m.side() * m.side()];
        for rect in m.svg_path().split('z').filter(|r| !r.is_empty()) {
            let nums: Vec<usize> = rect
                .trim_start_matches('M')
                .split(['h', 'v', ' '])
                .take(3)
                .map(|n| n.parse().unwrap())
                .collect();
            let (x, y, run) = (nums[0], nums[1], nums[2]);
            for i in x..x + run {
                assert!(!painted[y * m.side() + i], "painted twice");
                painted[y * m.side() + i] = true;
            }
        }
        for y in 0..m.side() {
            for x in 0..m.side() {
                assert_eq!(painted[y * m.side() + x], m.is_dark_at(x, y), "({x}, {y})");
            }
        }
    }

    #[test]
    fn debug_shows_the_shape_only() {
        let m = encode("otpauth://totp/a?secret=JBSWY3DPEHPK3PXP").unwrap();
        assert_eq!(format!("{m:?}"), "QrMatrix(version 3, 29 modules)");
    }
}
