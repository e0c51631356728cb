//! `cargo xtask build`: wasm + bindings + extension files into `dist/` (Chromium) and
//! `dist-firefox/` (`crate::firefox`), and a store zip of each.

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::{Duration, SystemTime};

use crate::setup::WASM_TARGET;
use crate::util::{Result, cmd, fmt_bytes, gzip_size, output, rel, root, run, target_dir};

/// Crate name with `-` replaced, as used in artifact file names.
const CRATE_FILE_NAME: &str = "toolbar_authenticator";

/// wasm-opt level. Measured on the real module (gzip -9 bytes, rustc opt-level "z"):
/// -O3 129,818, -Oz 129,411, -Os 129,296 (and `--converge` adds nothing), so -Os.
const WASM_OPT_LEVEL: &str = "-Os";

/// The features rustc 1.95 declares for `wasm32-unknown-unknown`, plus SIMD which
/// `.cargo/config.toml` turns on (its
/// `target_features` section, which `--strip-target-features` then drops).
const WASM_FEATURES: &[&str] = &[
    "--enable-bulk-memory",
    "--enable-bulk-memory-opt",
    "--enable-call-indirect-overlong",
    "--enable-multivalue",
    "--enable-mutable-globals",
    "--enable-nontrapping-float-to-int",
    "--enable-reference-types",
    "--enable-sign-ext",
    "--enable-simd",
];

/// Default mtime for packaged files (2000-01-01) unless `SOURCE_DATE_EPOCH` is set.
const DEFAULT_EPOCH: u64 = 946_684_800;

/// One WebAssembly module built from the crate: its cargo features and its file names in
/// `dist/pkg/` (`<name>.js` and `<name>_bg.wasm`).
#[derive(Clone, Copy)]
struct Module {
    /// Cargo features it is built with.
    features: &'static str,
    /// Base name of its files.
    name: &'static str,
    /// An export only this module has (`""`: none), and one it must not have: checked after
    /// wasm-bindgen, so a stale artifact built with the other features is caught.
    has: &'static str,
    lacks: &'static [&'static str],
}

/// The popup's module, and two more (design.md "What the popup loads"): the Import and export
/// page's (loaded by the popup only when Scan QR code is pressed), and the one Settings and the
/// key-derivation worker (`kdf-worker.js`) load, which alone links Argon2id (src/wasm/kdf.rs,
/// src/wasm/settings.rs).
const MODULES: [Module; 3] = [
    Module {
        features: "",
        name: CRATE_FILE_NAME,
        has: "",
        lacks: &["decodeQr", "deriveKey"],
    },
    Module {
        features: "transfer",
        name: "toolbar_authenticator_transfer",
        has: "decodeQr",
        lacks: &[],
    },
    Module {
        features: "settings",
        name: "toolbar_authenticator_settings",
        has: "deriveKey",
        lacks: &["decodeQr"],
    },
];

/// The unpacked extension directory, `dist/` at the repository root.
pub fn dist_dir() -> PathBuf {
    root().join("dist")
}

/// Builds `dist/`, `dist-firefox/` and their store zips (`-debug.zip` for debug builds);
/// returns the Chromium zip's path.
pub fn build(debug: bool) -> Result<PathBuf> {
    let r = root();
    let manifest = r.join("manifest.json");
    let extension = r.join("extension");
    if !manifest.is_file() || !extension.is_dir() {
        return Err(format!(
            "cannot package the extension: {} and {}/ must both exist \
             (manifest.json: {}, extension/: {})",
            manifest.display(),
            extension.display(),
            found(manifest.is_file()),
            found(extension.is_dir()),
        ));
    }
    let version = manifest_version(&manifest)?;

    let dist = dist_dir();
    if dist.exists() {
        std::fs::remove_dir_all(&dist)
            .map_err(|e| format!("cannot remove {}: {e}", dist.display()))?;
    }
    for module in MODULES {
        build_module(module, debug, &dist.join("pkg"))?;
    }

    copy_file(&manifest, &dist.join("manifest.json"))?;
    copy_tree(&extension, &dist)?;
    crate::bundle::bundle_scripts(&extension, &dist)?;
    crate::preload::preload_pages(&dist)?;

    let files = list_files(&dist)?;
    let suffix = if debug { "-debug" } else { "" };
    let zip = target_dir().join(format!("toolbar-authenticator-{version}{suffix}.zip"));
    write_zip(&dist, &files, &zip)?;
    summary(&dist, &files, &zip)?;

    let firefox = crate::firefox::dist_dir();
    crate::firefox::write_dist(&dist, &files, &firefox)?;
    let firefox_zip = target_dir().join(format!(
        "toolbar-authenticator-{version}-firefox{suffix}.zip"
    ));
    write_zip(&firefox, &files, &firefox_zip)?;
    let size = std::fs::metadata(&firefox_zip)
        .map_err(|e| format!("cannot stat {}: {e}", firefox_zip.display()))?
        .len();
    println!(
        "firefox: {}/ and {} ({} B)",
        rel(&firefox),
        rel(&firefox_zip),
        fmt_bytes(size)
    );
    Ok(zip)
}

/// Builds one module: cargo (release unless `debug`), wasm-bindgen into `pkg`, then, for
/// release builds, wasm-opt and the glue's comments stripped.
fn build_module(module: Module, debug: bool, pkg: &Path) -> Result {
    let profile = if debug { "debug" } else { "release" };
    let mut cargo = cmd("cargo");
    cargo.args(["build", "--package", "toolbar-authenticator", "--lib"]);
    cargo.args(["--target", WASM_TARGET]);
    if !module.features.is_empty() {
        cargo.args(["--features", module.features]);
    }
    if !debug {
        cargo.arg("--release");
    }
    let sources = registry_sources();
    if let Some(sources) = &sources {
        cargo.arg("--config").arg(remap_config(sources));
    }
    run(&mut cargo)?;
    let wasm = target_dir()
        .join(WASM_TARGET)
        .join(profile)
        .join(format!("{CRATE_FILE_NAME}.wasm"));
    if !wasm.is_file() {
        return Err(format!("cargo build did not produce {}", wasm.display()));
    }

    let mut bindgen = cmd("wasm-bindgen");
    bindgen.args(["--target", "web", "--no-typescript"]);
    if debug {
        bindgen.args(["--debug", "--keep-debug"]);
    }
    bindgen.arg("--out-dir").arg(pkg);
    bindgen.args(["--out-name", module.name]).arg(&wasm);
    run(&mut bindgen)?;

    let glue = pkg.join(format!("{}.js", module.name));
    check_exports(&glue, module)?;
    let bg_wasm = pkg.join(format!("{}_bg.wasm", module.name));
    if debug {
        println!("build: --debug: skipping wasm-opt");
    } else {
        wasm_opt(&bg_wasm, &bg_wasm, WASM_OPT_LEVEL)?;
        strip_glue_comments(&glue)?;
        if let Some(sources) = &sources {
            refuse_machine_paths(&bg_wasm, sources)?;
        }
    }
    Ok(())
}

/// Fails when the glue lacks the export the module must have, or has one it must not
/// (cargo's output file is shared by both feature sets).
fn check_exports(glue: &Path, module: Module) -> Result {
    let text = std::fs::read_to_string(glue)
        .map_err(|e| format!("cannot read {}: {e}", glue.display()))?;
    let exports = |name: &str| text.contains(&format!("export function {name}("));
    if !module.has.is_empty() && !exports(module.has) {
        return Err(format!("{}: no export {}", glue.display(), module.has));
    }
    if let Some(unexpected) = module.lacks.iter().find(|name| exports(name)) {
        return Err(format!(
            "{}: unexpected export {unexpected}",
            glue.display()
        ));
    }
    Ok(())
}

/// Where cargo unpacks downloaded crates (`$CARGO_HOME/registry/src`). Their absolute paths
/// reach the module in panic locations, which would make the module, and so the store zip,
/// differ between machines whose cargo lives elsewhere.
fn registry_sources() -> Option<PathBuf> {
    let home = std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cargo")))?;
    Some(home.join("registry").join("src"))
}

/// A `--config` value that adds `--remap-path-prefix <sources>/=` to the wasm target's
/// rustflags (cargo appends it to `.cargo/config.toml`'s own): a location then reads
/// `index.crates.io-…/argon2-0.6.0/src/memory.rs` on every machine.
fn remap_config(sources: &Path) -> String {
    let prefix = format!("{}/", sources.display())
        .replace('\\', "\\\\")
        .replace('"', "\\\"");
    format!("target.{WASM_TARGET}.rustflags=[\"--remap-path-prefix={prefix}=\"]")
}

/// Fails when the built module still names this machine's crate directory.
fn refuse_machine_paths(wasm: &Path, sources: &Path) -> Result {
    let bytes = std::fs::read(wasm).map_err(|e| format!("cannot read {}: {e}", wasm.display()))?;
    let needle = sources.display().to_string();
    if bytes
        .windows(needle.len())
        .any(|window| window == needle.as_bytes())
    {
        return Err(format!(
            "{} contains the path {needle}: the build would differ between machines",
            wasm.display()
        ));
    }
    Ok(())
}

/// "found" or "missing".
fn found(yes: bool) -> &'static str {
    if yes { "found" } else { "missing" }
}

/// Runs binaryen's wasm-opt (from node_modules) on `input`.
pub fn wasm_opt(input: &Path, output_path: &Path, level: &str) -> Result {
    let bin = root().join("node_modules/.bin/wasm-opt");
    let mut c = cmd(&bin);
    c.arg(input).arg("-o").arg(output_path).arg(level);
    c.args([
        "--strip-debug",
        "--strip-producers",
        "--strip-target-features",
    ]);
    c.args(WASM_FEATURES);
    run(&mut c)
}

/// Removes the comments wasm-bindgen writes into the JS glue (the Rust doc comments of every
/// export, documented in README's "JS API", and notes on its own shims): 2 KB of the popup's
/// download after gzip. Only whole comment lines go (the generator writes no comment after
/// code and no comment marker inside a string); `node --check` then proves the file still
/// parses.
fn strip_glue_comments(glue: &Path) -> Result {
    let text = std::fs::read_to_string(glue)
        .map_err(|e| format!("cannot read {}: {e}", glue.display()))?;
    let mut kept = String::with_capacity(text.len());
    let mut in_block = false;
    for line in text.lines() {
        let t = line.trim();
        if in_block || t.starts_with("/*") {
            in_block = !t.ends_with("*/");
        } else if !t.starts_with("//") {
            kept.push_str(line);
            kept.push('\n');
        }
    }
    if in_block {
        return Err(format!("{}: unterminated comment", glue.display()));
    }
    std::fs::write(glue, kept).map_err(|e| format!("cannot write {}: {e}", glue.display()))?;
    run(cmd("node").arg("--check").arg(glue))
}

/// The files directly in `dir` whose extension is `extension`, sorted.
pub fn top_level_files(dir: &Path, extension: &str) -> Result<Vec<PathBuf>> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .map_err(|e| format!("cannot list {}: {e}", dir.display()))?
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|path| path.extension().is_some_and(|ext| ext == extension))
        .collect();
    files.sort();
    Ok(files)
}

/// The `version` field of manifest.json (parsed by node), validated.
fn manifest_version(manifest: &Path) -> Result<String> {
    const JS: &str = "const m = JSON.parse(require('fs').readFileSync(process.argv[1], 'utf8'));\
        if (typeof m.version !== 'string') { process.exit(3); }\
        process.stdout.write(m.version);";
    let v = output(cmd("node").args(["-e", JS]).arg(manifest)).ok_or_else(|| {
        format!(
            "{}: not valid JSON or no string \"version\" field",
            manifest.display()
        )
    })?;
    let parts: Vec<&str> = v.split('.').collect();
    let valid = (1..=4).contains(&parts.len())
        && parts.iter().all(|p| {
            !p.is_empty()
                && p.bytes().all(|b| b.is_ascii_digit())
                && (p.len() == 1 || !p.starts_with('0'))
                && p.parse::<u32>().is_ok_and(|n| n <= 65_535)
        });
    if valid {
        Ok(v)
    } else {
        Err(format!(
            "{}: version {v:?} is not 1-4 dot-separated integers (0-65535) as Chrome requires",
            manifest.display()
        ))
    }
}

/// Copies one file, creating parent directories.
fn copy_file(from: &Path, to: &Path) -> Result {
    if let Some(parent) = to.parent() {
        std::fs::create_dir_all(parent)
            .map_err(|e| format!("cannot create {}: {e}", parent.display()))?;
    }
    std::fs::copy(from, to)
        .map(drop)
        .map_err(|e| format!("cannot copy {} to {}: {e}", from.display(), to.display()))
}

/// Copies `src/**` (no dotfiles) into `dst`, refusing to overwrite files.
fn copy_tree(src: &Path, dst: &Path) -> Result {
    for relative in walk(src)? {
        let to = dst.join(&relative);
        if to.exists() {
            return Err(format!(
                "extension/{} would overwrite generated dist/{} (remove it from extension/)",
                relative.display(),
                relative.display()
            ));
        }
        copy_file(&src.join(&relative), &to)?;
    }
    Ok(())
}

/// Files under `dir` (relative paths, sorted), skipping names starting with `.`.
fn walk(dir: &Path) -> Result<Vec<PathBuf>> {
    let mut out = Vec::new();
    let mut stack = vec![PathBuf::new()];
    while let Some(sub) = stack.pop() {
        let abs = dir.join(&sub);
        let entries =
            std::fs::read_dir(&abs).map_err(|e| format!("cannot read {}: {e}", abs.display()))?;
        for entry in entries {
            let entry = entry.map_err(|e| format!("cannot read {}: {e}", abs.display()))?;
            if entry.file_name().to_string_lossy().starts_with('.') {
                continue;
            }
            let relative = sub.join(entry.file_name());
            // `metadata` follows symlinks, so linked files and directories are copied.
            let meta = std::fs::metadata(entry.path())
                .map_err(|e| format!("cannot stat {}: {e}", entry.path().display()))?;
            if meta.is_dir() {
                stack.push(relative);
            } else {
                out.push(relative);
            }
        }
    }
    out.sort();
    Ok(out)
}

/// Every file in `dist` as a `/`-separated relative path, sorted bytewise.
fn list_files(dist: &Path) -> Result<Vec<String>> {
    let mut files: Vec<String> = walk(dist)?
        .iter()
        .map(|p| {
            p.components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect::<Vec<_>>()
                .join("/")
        })
        .collect();
    files.sort();
    Ok(files)
}

/// Writes a reproducible zip of `files` (relative to `dist`) with `zip`.
fn write_zip(dist: &Path, files: &[String], zip: &Path) -> Result {
    let epoch = std::env::var("SOURCE_DATE_EPOCH")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(DEFAULT_EPOCH);
    let stamp = SystemTime::UNIX_EPOCH + Duration::from_secs(epoch);
    for f in files {
        let p = dist.join(f);
        std::fs::File::options()
            .write(true)
            .open(&p)
            .and_then(|file| file.set_modified(stamp))
            .map_err(|e| format!("cannot set mtime of {}: {e}", p.display()))?;
    }
    if let Some(parent) = zip.parent() {
        std::fs::create_dir_all(parent)
            .map_err(|e| format!("cannot create {}: {e}", parent.display()))?;
    }
    if zip.exists() {
        // `zip` would update an existing archive instead of replacing it.
        std::fs::remove_file(zip).map_err(|e| format!("cannot remove {}: {e}", zip.display()))?;
    }
    let mut c = cmd("zip");
    c.current_dir(dist).env("TZ", "UTC");
    // -X: no uid/gid or extra timestamps, -D: no directory entries, -@: names from stdin.
    c.args(["-X", "-D", "-9", "-q"]).arg(zip).arg("-@");
    println!(
        "$ {} < ({} file names)",
        crate::util::render(&c),
        files.len()
    );
    let mut child = c
        .stdin(Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot start zip: {e}"))?;
    if let Some(mut stdin) = child.stdin.take() {
        let names = files.join("\n") + "\n";
        stdin
            .write_all(names.as_bytes())
            .map_err(|e| format!("zip: {e}"))?;
    }
    let status = child.wait().map_err(|e| format!("zip: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("zip failed ({status})"))
    }
}

/// Prints raw and gzip sizes of every file in `dist`, the total and the zip.
fn summary(dist: &Path, files: &[String], zip: &Path) -> Result {
    let width = files.iter().map(String::len).max().unwrap_or(0).max(5);
    println!();
    println!("{:<width$}  {:>11}  {:>11}", "dist/", "raw B", "gzip -9 B");
    let (mut raw_total, mut gz_total) = (0, 0);
    for f in files {
        let p = dist.join(f);
        let raw = std::fs::metadata(&p)
            .map_err(|e| format!("cannot stat {}: {e}", p.display()))?
            .len();
        let gz = gzip_size(&p)?;
        raw_total += raw;
        gz_total += gz;
        println!("{f:<width$}  {:>11}  {:>11}", fmt_bytes(raw), fmt_bytes(gz));
    }
    println!(
        "{:<width$}  {:>11}  {:>11}",
        format!("total ({} files)", files.len()),
        fmt_bytes(raw_total),
        fmt_bytes(gz_total)
    );
    let zip_size = std::fs::metadata(zip)
        .map_err(|e| format!("cannot stat {}: {e}", zip.display()))?
        .len();
    println!("store zip: {} ({} B)", rel(zip), fmt_bytes(zip_size));
    Ok(())
}
