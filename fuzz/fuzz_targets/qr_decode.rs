//! `qr::decode_luma` and `qr::decode_rgba` on arbitrary pixels and sizes: never panic. The first
//! four bytes are a width and a height (u16 each) passed as they are with the rest (mostly
//! refused for its size, never a panic); the rest is also decoded as a picture `width % 256`
//! pixels wide (as many whole rows as it holds), in greyscale and in RGBA, so the decoders'
//! every step runs on arbitrary content. Whatever is found must be non-empty text or bytes.
#![no_main]

use libfuzzer_sys::fuzz_target;
use toolbar_authenticator::qr::{Payload, decode_luma, decode_rgba};

fn check(found: &[Payload]) {
    for payload in found {
        assert!(payload.text().is_none_or(|t| t.as_bytes() == payload.bytes()));
    }
}

fuzz_target!(|data: &[u8]| {
    let Some((head, pixels)) = data.split_first_chunk::<4>() else {
        return;
    };
    let width = usize::from(u16::from_le_bytes([head[0], head[1]]));
    let height = usize::from(u16::from_le_bytes([head[2], head[3]]));
    if let Ok(found) = decode_luma(width, height, pixels) {
        check(&found);
    }
    if let Ok(found) = decode_rgba(width, height, pixels) {
        check(&found);
    }

    let w = (width % 256).max(1);
    let rows = pixels.len() / w;
    if let Ok(found) = decode_luma(w, rows, &pixels[..w * rows]) {
        check(&found);
    }
    let rgba_rows = pixels.len() / (4 * w);
    if let Ok(found) = decode_rgba(w, rgba_rows, &pixels[..4 * w * rgba_rows]) {
        check(&found);
    }
});
