//! Black and white by local contrast, for codes the decoders' global threshold loses: quircs
//! splits a picture at one grey level (Otsu's), which blurred codes at 1 to 2 pixels per module
//! do not survive once enlarged. Measured on the bench corpus (README "QR codes").

/// Side of the blocks whose mean sets the local threshold, in pixels.
const BLOCK: usize = 8;

/// Blocks whose darkest and lightest pixels differ by at most this are flat (no edge inside).
const FLAT: u8 = 24;

/// The picture in black (0) and white (255): each pixel against the mean of the 5 × 5 blocks
/// around its block. A flat block counts as half its darkest level, so flat light ground stays
/// white instead of splitting on noise (the rule of ZXing's hybrid binarizer).
pub fn binarize(width: usize, height: usize, luma: &[u8]) -> Vec<u8> {
    let (bw, bh) = (width.div_ceil(BLOCK), height.div_ceil(BLOCK));
    let rows = |b: usize, n: usize| b * BLOCK..((b + 1) * BLOCK).min(n);
    let mut mean = vec![0u32; bw * bh];
    for by in 0..bh {
        for bx in 0..bw {
            let (mut sum, mut n, mut lo, mut hi) = (0u32, 0u32, u8::MAX, 0u8);
            for y in rows(by, height) {
                for &v in &luma[y * width + bx * BLOCK..y * width + rows(bx, width).end] {
                    sum += u32::from(v);
                    n += 1;
                    lo = lo.min(v);
                    hi = hi.max(v);
                }
            }
            mean[by * bw + bx] = if hi - lo <= FLAT {
                u32::from(lo) / 2
            } else {
                sum / n
            };
        }
    }
    let mut out = vec![255u8; width * height];
    for by in 0..bh {
        for bx in 0..bw {
            let (mut sum, mut n) = (0u32, 0u32);
            for ny in by.saturating_sub(2)..(by + 3).min(bh) {
                for nx in bx.saturating_sub(2)..(bx + 3).min(bw) {
                    sum += mean[ny * bw + nx];
                    n += 1;
                }
            }
            let threshold = sum / n;
            for y in rows(by, height) {
                for x in rows(bx, width) {
                    if u32::from(luma[y * width + x]) <= threshold {
                        out[y * width + x] = 0;
                    }
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn follows_local_contrast_not_a_global_level() {
        // Left half a dark gradient region with a darker stripe, right half light ground with a
        // mid-grey stripe: each stripe is dark against its own surroundings.
        let (w, h) = (64, 16);
        let mut luma = vec![0u8; w * h];
        for y in 0..h {
            for x in 0..w {
                luma[y * w + x] = match x {
                    0..=31 if (12..20).contains(&x) => 20,
                    0..=31 => 90,
                    _ if (44..52).contains(&x) => 100,
                    _ => 250,
                };
            }
        }
        let out = binarize(w, h, &luma);
        let row = &out[8 * w..9 * w];
        assert_eq!(row[15], 0);
        assert_eq!(row[47], 0);
        assert_eq!(row[60], 255);
    }

    #[test]
    fn flat_light_ground_stays_white_and_sizes_need_not_be_whole_blocks() {
        let out = binarize(13, 5, &[240; 65]);
        assert_eq!(out, vec![255; 65]);
        assert!(binarize(0, 0, &[]).is_empty());
    }
}
