//! The two maintained Rust QR decoders, each alone (as given, then inverted), against what the
//! extension ships (`qr::decode_luma`: both, plus enlarging and local thresholds), on the corpus
//! `node bench/qr/run.mjs --dump DIR` writes: decode rate and time per image, per category.
//! How `src/qr/search.rs`'s steps were chosen (README "QR codes").
//!
//! ```sh
//! cargo xtask build && node bench/qr/run.mjs --dump /tmp/qr-corpus
//! cargo run --release --example qr_decoders -- /tmp/qr-corpus
//! ```

use std::collections::BTreeMap;
use std::time::Instant;

use toolbar_authenticator::qr::decode_luma;

/// One corpus picture: greyscale pixels and the text its code holds.
struct Picture {
    category: String,
    ppm: f64,
    text: String,
    width: usize,
    height: usize,
    luma: Vec<u8>,
}

type Result<T> = std::result::Result<T, String>;

/// Reads `DIR/index.json` and each binary PGM (`P5`, maxval 255) it names.
fn load(dir: &str) -> Result<Vec<Picture>> {
    let index =
        std::fs::read(format!("{dir}/index.json")).map_err(|e| format!("index.json: {e}"))?;
    let index: serde_json::Value =
        serde_json::from_slice(&index).map_err(|e| format!("index.json: {e}"))?;
    let entries = index.as_array().ok_or("index.json is not an array")?;
    let text = |e: &serde_json::Value, key: &str| {
        e[key]
            .as_str()
            .map(str::to_owned)
            .ok_or(format!("index.json: no {key}"))
    };
    entries
        .iter()
        .map(|e| {
            let file = text(e, "file")?;
            let bytes =
                std::fs::read(format!("{dir}/{file}")).map_err(|e| format!("{file}: {e}"))?;
            // Header: "P5", width, height, maxval, each followed by one whitespace byte.
            let mut fields = Vec::new();
            let mut at = 0;
            while fields.len() < 4 {
                let len = bytes[at..]
                    .iter()
                    .position(u8::is_ascii_whitespace)
                    .ok_or(format!("{file}: bad PGM header"))?;
                fields.push(String::from_utf8_lossy(&bytes[at..at + len]).into_owned());
                at += len + 1;
            }
            let number = |s: &str| s.parse::<usize>().map_err(|_| format!("{file}: bad size"));
            Ok(Picture {
                category: text(e, "category")?,
                ppm: e["ppm"].as_f64().ok_or("index.json: no ppm")?,
                text: text(e, "text")?,
                width: number(&fields[1])?,
                height: number(&fields[2])?,
                luma: bytes[at..].to_vec(),
            })
        })
        .collect()
}

/// quircs alone: as given, then inverted.
fn quircs_alone(p: &Picture) -> Vec<Vec<u8>> {
    for luma in [p.luma.clone(), p.luma.iter().map(|l| !l).collect()] {
        let mut decoder = quircs::Quirc::new();
        let found: Vec<Vec<u8>> = decoder
            .identify(p.width, p.height, &luma)
            .flatten()
            .filter_map(|code| code.decode().ok().map(|data| data.payload))
            .collect();
        if !found.is_empty() {
            return found;
        }
    }
    Vec::new()
}

/// rqrr alone: as given, then inverted.
fn rqrr_alone(p: &Picture) -> Vec<Vec<u8>> {
    for invert in [0, 0xff] {
        let (w, luma) = (p.width, &p.luma);
        let mut image = rqrr::PreparedImage::prepare_from_greyscale(w, p.height, |x, y| {
            luma[y * w + x] ^ invert
        });
        let found: Vec<Vec<u8>> = image
            .detect_grids()
            .iter()
            .filter_map(|grid| {
                let mut out = Vec::new();
                grid.decode_to(&mut out).ok().map(|_| out)
            })
            .collect();
        if !found.is_empty() {
            return found;
        }
    }
    Vec::new()
}

/// Ours: what the extension ships.
fn ours(p: &Picture) -> Vec<Vec<u8>> {
    decode_luma(p.width, p.height, &p.luma)
        .map(|found| found.iter().map(|c| c.bytes().to_vec()).collect())
        .unwrap_or_default()
}

/// A decoder under test: every payload it reads in a picture.
type Decoder = fn(&Picture) -> Vec<Vec<u8>>;

const DECODERS: [(&str, Decoder); 3] = [
    ("rqrr", rqrr_alone),
    ("quircs", quircs_alone),
    ("ours", ours),
];

fn main() -> Result<()> {
    let dir = std::env::args().nth(1).ok_or("usage: qr_decoders DIR")?;
    let pictures = load(&dir)?;
    // Group -> (images, per decoder: decoded, total ms).
    let mut table: BTreeMap<String, (usize, [(usize, f64); 3])> = BTreeMap::new();
    for p in &pictures {
        let mut row = [(0, 0.0); 3];
        for (i, (_, decode)) in DECODERS.iter().enumerate() {
            let start = Instant::now();
            let ok = decode(p).iter().any(|c| c == p.text.as_bytes());
            row[i] = (usize::from(ok), start.elapsed().as_secs_f64() * 1e3);
        }
        let size = if p.ppm >= 2.0 {
            "all at >= 2 px/module"
        } else {
            "all at < 2 px/module"
        };
        for group in [p.category.as_str(), "all", size] {
            let entry = table.entry(group.to_owned()).or_default();
            entry.0 += 1;
            for (sum, add) in entry.1.iter_mut().zip(row) {
                sum.0 += add.0;
                sum.1 += add.1;
            }
        }
    }
    let names: Vec<&str> = DECODERS.iter().map(|(name, _)| *name).collect();
    println!(
        "| Category | images | {} | {} |",
        names.join(" | "),
        names
            .iter()
            .map(|n| format!("{n} ms/image"))
            .collect::<Vec<_>>()
            .join(" | ")
    );
    println!("|---|--:|{}", "--:|".repeat(2 * DECODERS.len()));
    for (group, (n, sums)) in &table {
        let rates: Vec<String> = sums
            .iter()
            .map(|s| format!("{:.1}%", 100.0 * s.0 as f64 / *n as f64))
            .collect();
        let times: Vec<String> = sums
            .iter()
            .map(|s| format!("{:.2}", s.1 / *n as f64))
            .collect();
        println!(
            "| {group} | {n} | {} | {} |",
            rates.join(" | "),
            times.join(" | ")
        );
    }
    Ok(())
}
