//! Enlarging a picture, or a part of it (bilinear), for codes drawn at about 1 to 2.5 pixels
//! per module: the decoders measure the finder patterns in whole pixels, and at those sizes one
//! pixel of error picks the wrong grid size or samples the wrong module. Measured on the bench
//! corpus (README "QR codes"). Written here: the `image` crate's resize would bring a whole
//! image library into the module for these few lines.

/// A rectangle of a picture: columns `x0..x1`, rows `y0..y1`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rect {
    /// First column.
    pub x0: usize,
    /// First row.
    pub y0: usize,
    /// One past the last column.
    pub x1: usize,
    /// One past the last row.
    pub y1: usize,
}

impl Rect {
    /// Width in pixels.
    pub fn width(&self) -> usize {
        self.x1 - self.x0
    }

    /// Height in pixels.
    pub fn height(&self) -> usize {
        self.y1 - self.y0
    }
}

/// For each output position along one axis of `n` input pixels scaled `k` times: the two input
/// pixels it lies between and the second one's weight in 256ths (pixel centres aligned).
fn taps(n: usize, k: usize) -> Vec<(usize, usize, u32)> {
    (0..n * k)
        .map(|o| {
            // Source position (o + 1/2) / k - 1/2, in 256ths, clamped at the first pixel.
            let s256 = ((2 * o + 1) * 256 / (2 * k)).saturating_sub(128);
            let i = (s256 / 256).min(n - 1);
            let j = (i + 1).min(n - 1);
            (i, j, (s256 % 256) as u32)
        })
        .collect()
}

/// The part `rect` of a `width`-wide greyscale picture, `k` times wider and taller. `rect` must
/// lie inside the picture and not be empty.
pub fn enlarge(width: usize, luma: &[u8], rect: Rect, k: usize) -> Vec<u8> {
    let (w, h) = (rect.width(), rect.height());
    let xs = taps(w, k);
    let ys = taps(h, k);
    let mut out = Vec::with_capacity(w * k * h * k);
    let at = |x: usize, y: usize| u32::from(luma[(rect.y0 + y) * width + rect.x0 + x]);
    for &(y0, y1, fy) in &ys {
        for &(x0, x1, fx) in &xs {
            let top = at(x0, y0) * (256 - fx) + at(x1, y0) * fx;
            let bottom = at(x0, y1) * (256 - fx) + at(x1, y1) * fx;
            // Weights sum to 65,536; rounded, at most 255.
            out.push(((top * (256 - fy) + bottom * fy + 32_768) >> 16) as u8);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn whole(w: usize, h: usize) -> Rect {
        Rect {
            x0: 0,
            y0: 0,
            x1: w,
            y1: h,
        }
    }

    #[test]
    fn flat_stays_flat_and_edges_blend() {
        assert_eq!(enlarge(2, &[7, 7], whole(2, 1), 2), vec![7; 8]);
        let out = enlarge(2, &[0, 255], whole(2, 1), 2);
        // Positions -0.25 (clamped), 0.25, 0.75, 1.25 (clamped).
        assert_eq!(&out[..4], &[0, 64, 191, 255]);
        assert_eq!(&out[..4], &out[4..]);
        let out = enlarge(1, &[0, 255], whole(1, 2), 3);
        // Rows at -1/3 and 0 (clamped), 1/3, 2/3, then 1 and 4/3 (clamped).
        let rows: Vec<u8> = [0, 0, 85, 169, 255, 255]
            .iter()
            .flat_map(|&v| [v; 3])
            .collect();
        assert_eq!(out, rows);
    }

    #[test]
    fn a_part_is_taken_from_its_own_pixels() {
        // 3 x 2 picture; the right column alone, doubled.
        let luma = [1, 2, 3, 4, 5, 6];
        let rect = Rect {
            x0: 2,
            y0: 0,
            x1: 3,
            y1: 2,
        };
        let out = enlarge(3, &luma, rect, 2);
        assert_eq!(out.len(), 8);
        assert_eq!(&out[..2], &[3, 3]);
        assert_eq!(&out[6..], &[6, 6]);
    }
}
