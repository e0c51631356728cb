//! Our encoder's codes read back by our decoder: `otpauth://` and `otpauth-migration://` texts
//! of many lengths (versions 3 to 25), drawn dark on light and light on dark, straight and
//! turned and scaled by non-integer factors.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use base64ct::{Base64, Encoding};
use toolbar_authenticator::qr::{PayloadKind, QrMatrix, decode_luma, decode_rgba, encode};

/// A deterministic xorshift generator, so failures reproduce.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

const B32: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

/// An `otpauth://` link whose account name is padded to `pad` characters.
fn otpauth(rng: &mut Rng, pad: usize) -> String {
    let key: String = (0..32).map(|_| B32[rng.below(32)] as char).collect();
    let name: String = (0..pad).map(|i| (b'a' + (i % 26) as u8) as char).collect();
    format!("otpauth://totp/Example%20Bank:{name}%40example.com?secret={key}&issuer=Example%20Bank")
}

/// A transfer link shaped like Google Authenticator's: `bytes` random bytes, base64, escaped.
fn migration(rng: &mut Rng, bytes: usize) -> String {
    let data: Vec<u8> = (0..bytes).map(|_| rng.next() as u8).collect();
    let b64 = Base64::encode_string(&data)
        .replace('+', "%2B")
        .replace('/', "%2F")
        .replace('=', "%3D");
    format!("otpauth-migration://offline?data={b64}")
}

/// The code drawn at `ppm` pixels per module (any positive factor), turned by `degrees` about
/// its centre, on a canvas with `margin` light pixels around it: each pixel the mean of 4 × 4
/// samples (edges anti-aliased as a browser draws them). 0 is dark, 255 light.
fn draw(m: &QrMatrix, ppm: f64, degrees: f64, margin: usize) -> (usize, Vec<u8>) {
    let side = m.side() as f64 * ppm;
    let (sin, cos) = degrees.to_radians().sin_cos();
    let extent = side * (sin.abs() + cos.abs());
    let canvas = extent.ceil() as usize + 2 * margin;
    let centre = canvas as f64 / 2.0;
    let half = m.side() as f64 / 2.0;
    let mut luma = vec![0u8; canvas * canvas];
    for py in 0..canvas {
        for px in 0..canvas {
            let mut light = 0u32;
            for sy in 0..4 {
                for sx in 0..4 {
                    let dx = px as f64 + (sx as f64 + 0.5) / 4.0 - centre;
                    let dy = py as f64 + (sy as f64 + 0.5) / 4.0 - centre;
                    // Back into module coordinates.
                    let mx = (dx * cos + dy * sin) / ppm + half;
                    let my = (-dx * sin + dy * cos) / ppm + half;
                    let dark = mx >= 0.0
                        && my >= 0.0
                        && m.is_dark_at(mx.floor() as usize, my.floor() as usize);
                    light += u32::from(!dark);
                }
            }
            luma[py * canvas + px] = (light * 255 / 16) as u8;
        }
    }
    (canvas, luma)
}

/// Draws `text`'s code and decodes the picture; `Err` says what was not read back.
fn read_back(text: &str, ppm: f64, degrees: f64, invert: bool) -> Result<(), String> {
    let m = encode(text).map_err(|e| e.to_string())?;
    let (side, mut luma) = draw(&m, ppm, degrees, 10);
    if invert {
        // Light modules (about 230) on a dark page (40).
        luma.iter_mut()
            .for_each(|l| *l = (40 + u32::from(255 - *l) * 3 / 4) as u8);
    }
    let found = decode_luma(side, side, &luma).map_err(|e| e.to_string())?;
    if found.iter().any(|p| p.text() == Some(text)) {
        Ok(())
    } else {
        Err(format!(
            "not read back: version {}, {ppm} px/module, {degrees}°, inverted {invert}, {} bytes",
            m.version,
            text.len()
        ))
    }
}

#[test]
fn otpauth_links_of_many_lengths() {
    let mut rng = Rng(0x5eed);
    let mut versions = Vec::new();
    for pad in (0..260).step_by(13) {
        let text = otpauth(&mut rng, pad);
        versions.push(encode(&text).unwrap().version);
        read_back(&text, 2.0, 0.0, false).unwrap();
    }
    assert!(versions.first() < versions.last(), "{versions:?}");
}

#[test]
fn transfer_links_of_many_lengths_up_to_version_25() {
    let mut rng = Rng(0xdecade);
    let mut top = 0;
    for bytes in (16..=700).step_by(49) {
        let text = migration(&mut rng, bytes);
        let m = encode(&text).unwrap();
        top = top.max(m.version);
        read_back(&text, 3.0, 0.0, false).unwrap();
    }
    assert!(top >= 25, "largest version {top}");
}

#[test]
fn light_on_dark_codes() {
    let mut rng = Rng(7);
    for pad in [0, 40, 120] {
        read_back(&otpauth(&mut rng, pad), 3.0, 0.0, true).unwrap();
    }
    read_back(&migration(&mut rng, 300), 2.5, 0.0, true).unwrap();
}

#[test]
fn turned_and_scaled_by_non_integer_factors() {
    let mut rng = Rng(99);
    for (ppm, degrees) in [(2.5, 3.0), (3.7, -7.5), (4.3, 10.0), (2.2, -1.5)] {
        read_back(&otpauth(&mut rng, 30), ppm, degrees, false).unwrap();
        read_back(&migration(&mut rng, 200), ppm, degrees, false).unwrap();
    }
}

#[test]
fn the_kind_routes_each_code() {
    let mut rng = Rng(3);
    for (text, kind) in [
        (otpauth(&mut rng, 5), PayloadKind::Otpauth),
        (migration(&mut rng, 60), PayloadKind::Migration),
        ("https://example.com/".to_owned(), PayloadKind::Text),
    ] {
        let m = encode(&text).unwrap();
        let (side, luma) = draw(&m, 2.0, 0.0, 4);
        // As a canvas gives it: RGBA, opaque.
        let rgba: Vec<u8> = luma.iter().flat_map(|&l| [l, l, l, 255]).collect();
        let found = decode_rgba(side, side, &rgba).unwrap();
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].kind(), kind);
    }
}
