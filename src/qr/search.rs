//! The ways of reading a picture, tried in turn until one finds a code. Each was kept because
//! it raised the bench corpus's decode rate (README "QR codes"):
//! 1. quircs as given, then inverted (light codes on a dark page);
//! 2. where quircs saw finder patterns but read nothing, that part of the picture enlarged four
//!    times: at about 2 pixels per module its grid estimate is off by a pixel;
//! 3. the whole picture doubled, then tripled, given and inverted, when small enough
//!    ([`WHOLE_SCALES`]); then the same in black and white by local contrast
//!    (`binarize`): codes at 1 to 2.5 pixels per module whose finder patterns are too blurred
//!    to be seen at all;
//!
//! rqrr, the other maintained port of quirc, was a fourth step (alone it reads codes at exactly
//! 1 pixel per module that quircs alone does not), until step 3 read every one of those too:
//! without it the corpus's rate is the same and the second module 110 KB smaller (84 KB gzip).
//!
//! A picture without a code goes through every step (README "QR codes" has the time).

use super::Payload;
use super::binarize::binarize;
use super::resample::{Rect, enlarge};

/// How many times the part of a picture around unread finder patterns is enlarged.
const PART_SCALE: usize = 4;

/// Largest part enlarged around unread finder patterns, in pixels before enlarging (16 after).
const PART_MAX_PIXELS: usize = 1_000_000;

/// How many times a whole picture is enlarged, and the largest picture (in pixels, before)
/// enlarged so: up to 1 megapixel (1280 × 800), doubled then tripled. Larger captures come from
/// larger or high-DPI screens, where a code is rarely under 2.5 pixels per module, and the
/// enlarged part (step 2) covers those whose finder patterns were seen. Enlarging 1920 × 1080
/// captures too made a page without a code take 1,639 ms in Chromium (README has the time now).
const WHOLE_SCALES: [(usize, usize); 2] = [(2, 1_050_000), (3, 1_050_000)];

/// Every code found in a greyscale picture (`luma.len() == width * height`, both non-zero).
pub fn search(width: usize, height: usize, luma: &[u8]) -> Vec<Payload> {
    let inverted: Vec<u8> = luma.iter().map(|l| !l).collect();
    let views = [luma, &inverted[..]];
    for view in views {
        let look = quircs_look(width, height, view);
        if !look.found.is_empty() {
            return look.found;
        }
        if let Some(rect) = look
            .unread
            .filter(|r| r.width() * r.height() <= PART_MAX_PIXELS)
        {
            let part = enlarge(width, view, rect, PART_SCALE);
            let (w, h) = (rect.width() * PART_SCALE, rect.height() * PART_SCALE);
            let found = quircs_look(w, h, &part).found;
            if !found.is_empty() {
                return found;
            }
        }
    }
    let whole = Rect {
        x0: 0,
        y0: 0,
        x1: width,
        y1: height,
    };
    let scales = WHOLE_SCALES
        .iter()
        .filter(|(_, max)| width * height <= *max);
    for adaptive in [false, true] {
        for &(k, _) in scales.clone() {
            let (w, h) = (width * k, height * k);
            let mut big = enlarge(width, luma, whole, k);
            if adaptive {
                big = binarize(w, h, &big);
            }
            for view in [false, true] {
                if view {
                    big.iter_mut().for_each(|l| *l = !*l);
                }
                let found = quircs_look(w, h, &big).found;
                if !found.is_empty() {
                    return found;
                }
            }
        }
    }
    Vec::new()
}

/// What one quircs pass saw: the codes it read, and the part of the picture holding finder
/// patterns it could not turn into a code.
struct Look {
    found: Vec<Payload>,
    unread: Option<Rect>,
}

/// Adds `bytes` to `found` unless the same content is there already.
fn push_new(found: &mut Vec<Payload>, bytes: Vec<u8>) {
    let payload = Payload::new(bytes);
    if !found.contains(&payload) {
        found.push(payload);
    }
}

/// One quircs pass over the picture.
fn quircs_look(width: usize, height: usize, luma: &[u8]) -> Look {
    let mut found = Vec::new();
    let mut unread = Bounds::default();
    let mut decoder = quircs::Quirc::new();
    for code in decoder.identify(width, height, luma).flatten() {
        match code.decode() {
            Ok(mut data) => push_new(&mut found, std::mem::take(&mut data.payload)),
            Err(_) => code.corners.iter().for_each(|p| unread.add(p.x, p.y)),
        }
    }
    if unread.is_empty() && decoder.capstones.len() >= 2 {
        // Finder patterns but no code: the third may be within one code's width of them.
        let mut stones = Bounds::default();
        for stone in &decoder.capstones {
            stone.corners.iter().for_each(|p| stones.add(p.x, p.y));
        }
        unread = stones.grown(stones.span());
    } else {
        // A code's corners lie on its edge; take the quiet zone too.
        unread = unread.grown(unread.span() / 8 + 4);
    }
    Look {
        found,
        unread: unread.clipped(width, height),
    }
}

/// A growing bounding box of points (picture coordinates, maybe outside it).
#[derive(Default)]
struct Bounds(Option<(i64, i64, i64, i64)>);

impl Bounds {
    fn add(&mut self, x: i32, y: i32) {
        let (x, y) = (i64::from(x), i64::from(y));
        self.0 = Some(match self.0 {
            None => (x, y, x, y),
            Some((x0, y0, x1, y1)) => (x0.min(x), y0.min(y), x1.max(x), y1.max(y)),
        });
    }

    fn is_empty(&self) -> bool {
        self.0.is_none()
    }

    /// The larger of width and height.
    fn span(&self) -> i64 {
        self.0.map_or(0, |(x0, y0, x1, y1)| (x1 - x0).max(y1 - y0))
    }

    fn grown(&self, by: i64) -> Self {
        Self(
            self.0
                .map(|(x0, y0, x1, y1)| (x0 - by, y0 - by, x1 + by, y1 + by)),
        )
    }

    /// The box within a `width` × `height` picture, if anything of it is left.
    fn clipped(&self, width: usize, height: usize) -> Option<Rect> {
        let (x0, y0, x1, y1) = self.0?;
        let clamp = |v: i64, max: usize| usize::try_from(v.max(0)).unwrap_or(0).min(max);
        let rect = Rect {
            x0: clamp(x0, width),
            y0: clamp(y0, height),
            x1: clamp(x1 + 1, width),
            y1: clamp(y1 + 1, height),
        };
        (rect.x0 < rect.x1 && rect.y0 < rect.y1).then_some(rect)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bounds_grow_and_clip_to_the_picture() {
        let mut b = Bounds::default();
        assert!(b.clipped(10, 10).is_none());
        b.add(2, 3);
        b.add(5, 4);
        assert_eq!(b.span(), 3);
        assert_eq!(
            b.grown(1).clipped(10, 10),
            Some(Rect {
                x0: 1,
                y0: 2,
                x1: 7,
                y1: 6
            })
        );
        assert_eq!(
            b.grown(100).clipped(10, 8),
            Some(Rect {
                x0: 0,
                y0: 0,
                x1: 10,
                y1: 8
            })
        );
        let mut outside = Bounds::default();
        outside.add(-50, -50);
        assert!(outside.clipped(10, 10).is_none());
    }
}
