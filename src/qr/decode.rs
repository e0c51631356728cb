//! Finding and reading every QR code in a picture.

use super::search::search;
use super::{MAX_PIXELS, MAX_SIDE, Payload, QrError};

/// Every QR code found in an RGBA picture (4 bytes per pixel, row by row, as a canvas's
/// `ImageData` holds it), at the picture's own resolution. Transparent pixels count as white
/// (a screenshot of a code on a transparent background reads like one on paper).
///
/// See [`decode_luma`] for what is tried and what is returned.
pub fn decode_rgba(width: usize, height: usize, rgba: &[u8]) -> Result<Vec<Payload>, QrError> {
    check_size(width, height, rgba.len(), 4)?;
    let luma: Vec<u8> = rgba
        .chunks_exact(4)
        .map(|p| {
            let (r, g, b, a) = (
                u32::from(p[0]),
                u32::from(p[1]),
                u32::from(p[2]),
                u32::from(p[3]),
            );
            // ITU-R BT.601 weights in 1/256ths, then composited over white.
            let y = (77 * r + 150 * g + 29 * b) >> 8;
            let over_white = (y * a + 255 * (255 - a)) / 255;
            // At most 255 by construction.
            over_white as u8
        })
        .collect();
    search_both_ways(width, height, &luma)
}

/// Every QR code found in a greyscale picture (1 byte per pixel, 0 black to 255 white, row by
/// row), at the picture's own resolution: nothing is scaled down, so the small codes of a
/// high-DPI capture keep every pixel.
///
/// Dark codes on light ground are searched first; when none is found the picture is searched
/// again with its colours inverted (light codes on a dark page), then in the ways
/// `search` (in `search.rs`) lists, stopping at the first that finds a code. A code found twice is
/// returned once. An empty picture, or one without a readable code, gives an empty list.
///
/// Refused: pictures over [`MAX_SIDE`] pixels a side or [`MAX_PIXELS`] in all
/// ([`QrError::ImageTooLarge`]), and buffers whose length does not match the size
/// ([`QrError::ImageSize`]).
pub fn decode_luma(width: usize, height: usize, luma: &[u8]) -> Result<Vec<Payload>, QrError> {
    check_size(width, height, luma.len(), 1)?;
    search_both_ways(width, height, luma)
}

/// Checks the size limits, then that `len` is `width * height * channels`.
fn check_size(width: usize, height: usize, len: usize, channels: usize) -> Result<(), QrError> {
    let pixels = width.checked_mul(height);
    if width > MAX_SIDE || height > MAX_SIDE || pixels.is_none_or(|p| p > MAX_PIXELS) {
        return Err(QrError::ImageTooLarge { width, height });
    }
    // Within MAX_PIXELS, so no overflow.
    let expected = width * height * channels;
    if len != expected {
        return Err(QrError::ImageSize {
            expected,
            actual: len,
        });
    }
    Ok(())
}

/// Searches a picture of a valid size; an empty one holds no code.
fn search_both_ways(width: usize, height: usize, luma: &[u8]) -> Result<Vec<Payload>, QrError> {
    if width == 0 || height == 0 {
        return Ok(Vec::new());
    }
    Ok(search(width, height, luma))
}

#[cfg(test)]
mod tests {
    use super::super::encode;
    use super::*;

    /// The code for `text` drawn at `ppm` pixels per module, dark on light, in greyscale.
    fn draw(text: &str, ppm: usize) -> (usize, Vec<u8>) {
        let m = encode(text).unwrap();
        let side = m.side() * ppm;
        let luma = (0..side * side)
            .map(|i| {
                if m.is_dark_at((i % side) / ppm, (i / side) / ppm) {
                    0
                } else {
                    255
                }
            })
            .collect();
        (side, luma)
    }

    #[test]
    fn reads_a_drawn_code() {
        let (side, luma) = draw("otpauth://totp/a?secret=JBSWY3DPEHPK3PXP", 2);
        let found = decode_luma(side, side, &luma).unwrap();
        assert_eq!(found.len(), 1);
        assert_eq!(
            found[0].text(),
            Some("otpauth://totp/a?secret=JBSWY3DPEHPK3PXP")
        );
    }

    #[test]
    fn empty_and_blank_pictures_hold_no_code() {
        assert_eq!(decode_luma(0, 0, &[]).unwrap(), vec![]);
        assert_eq!(decode_luma(0, 5, &[]).unwrap(), vec![]);
        assert_eq!(decode_luma(3, 2, &[255; 6]).unwrap(), vec![]);
        assert_eq!(decode_rgba(2, 2, &[0; 16]).unwrap(), vec![]);
    }

    #[test]
    fn sizes_are_checked_before_any_work() {
        assert_eq!(
            decode_luma(MAX_SIDE + 1, 1, &[]),
            Err(QrError::ImageTooLarge {
                width: MAX_SIDE + 1,
                height: 1
            })
        );
        assert!(matches!(
            decode_luma(MAX_SIDE, MAX_SIDE, &[]),
            Err(QrError::ImageTooLarge { .. })
        ));
        assert!(matches!(
            decode_luma(usize::MAX, usize::MAX, &[]),
            Err(QrError::ImageTooLarge { .. })
        ));
        assert_eq!(
            decode_rgba(2, 2, &[0; 15]),
            Err(QrError::ImageSize {
                expected: 16,
                actual: 15
            })
        );
        assert_eq!(
            decode_luma(4, 4, &[0; 17]),
            Err(QrError::ImageSize {
                expected: 16,
                actual: 17
            })
        );
    }

    #[test]
    fn transparent_pixels_read_as_white() {
        let (side, luma) = draw("otpauth://totp/b?secret=JBSWY3DPEHPK3PXP", 3);
        // Dark modules opaque black, light ones fully transparent (their colour black too).
        let rgba: Vec<u8> = luma
            .iter()
            .flat_map(|&l| if l == 0 { [0, 0, 0, 255] } else { [0, 0, 0, 0] })
            .collect();
        let found = decode_rgba(side, side, &rgba).unwrap();
        assert_eq!(
            found[0].text(),
            Some("otpauth://totp/b?secret=JBSWY3DPEHPK3PXP")
        );
    }
}
