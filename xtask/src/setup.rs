//! `cargo xtask setup`: idempotently installs the tools the other commands use.

use std::path::{Path, PathBuf};
use std::time::{Instant, SystemTime};

use crate::util::{Result, cmd, fmt_duration, output, root, run, which};

/// Rust target the extension core is compiled to.
pub const WASM_TARGET: &str = "wasm32-unknown-unknown";

/// geckodriver, the WebDriver server for Firefox the Firefox scenarios drive it through
/// (Debian has no package of it). 0.37 supports Firefox 128 ESR and later. Installing it
/// compiles it: measured 3 min 31 s of CPU time (user + sys), so roughly two minutes on two
/// idle cores.
pub const GECKODRIVER_VERSION: &str = "0.37.1";

/// Debian's Firefox ESR, the Firefox the scenarios run in.
pub const FIREFOX: &str = "/usr/bin/firefox-esr";
/// Firefox's French language pack (Debian `firefox-esr-l10n-fr`): without it Firefox cannot
/// be started in French.
pub const FIREFOX_FRENCH: &str =
    "/usr/lib/firefox-esr/browser/extensions/langpack-fr@firefox-esr.mozilla.org.xpi";

/// Which tools a command needs.
#[derive(Clone, Copy, Debug, Default)]
pub struct Needs {
    /// The `wasm32-unknown-unknown` rustup target.
    pub wasm_target: bool,
    /// `wasm-bindgen` CLI matching Cargo.lock.
    pub wasm_bindgen: bool,
    /// `node_modules` (binaryen's wasm-opt, playwright-core).
    pub npm: bool,
    /// Debian `chromium`.
    pub chromium: bool,
    /// Debian `firefox-esr` with its French language pack, and geckodriver
    /// ([`GECKODRIVER_VERSION`]).
    pub firefox: bool,
    /// Debian `oathtool` (cross-check test).
    pub oathtool: bool,
    /// Debian `zip` (store package).
    pub zip: bool,
    /// Nightly toolchain and cargo-fuzz.
    pub fuzz: bool,
}

impl Needs {
    /// What `cargo xtask build` needs.
    pub const BUILD: Needs = Needs {
        wasm_target: true,
        wasm_bindgen: true,
        npm: true,
        chromium: false,
        firefox: false,
        oathtool: false,
        zip: true,
        fuzz: false,
    };

    /// What `cargo xtask setup` installs (everything but the fuzzing tools).
    pub const SETUP: Needs = Needs {
        chromium: true,
        firefox: true,
        oathtool: true,
        ..Needs::BUILD
    };

    /// Union of two sets of needs.
    pub fn or(self, o: Needs) -> Needs {
        Needs {
            wasm_target: self.wasm_target || o.wasm_target,
            wasm_bindgen: self.wasm_bindgen || o.wasm_bindgen,
            npm: self.npm || o.npm,
            chromium: self.chromium || o.chromium,
            firefox: self.firefox || o.firefox,
            oathtool: self.oathtool || o.oathtool,
            zip: self.zip || o.zip,
            fuzz: self.fuzz || o.fuzz,
        }
    }
}

/// Installs whatever in `needs` is missing, one status line per step.
pub fn setup(needs: Needs) -> Result {
    let start = Instant::now();
    if needs.wasm_target {
        wasm_target()?;
    }
    if needs.wasm_bindgen {
        wasm_bindgen()?;
    }
    if needs.npm {
        npm()?;
    }
    apt(needs)?;
    if needs.firefox {
        geckodriver()?;
    }
    if needs.fuzz {
        nightly()?;
        cargo_fuzz()?;
    }
    println!("setup: done in {}", fmt_duration(start.elapsed()));
    Ok(())
}

/// Prints one setup status line.
fn step(what: &str, status: &str) {
    println!("setup: {what:<34} {status}");
}

/// `rustup target add wasm32-unknown-unknown` unless already installed.
fn wasm_target() -> Result {
    let what = format!("rustup target {WASM_TARGET}");
    let installed = output(cmd("rustup").args(["target", "list", "--installed"]))
        .is_some_and(|s| s.lines().any(|l| l.trim() == WASM_TARGET));
    if installed {
        step(&what, "ok (installed)");
        return Ok(());
    }
    step(&what, "installing");
    run(cmd("rustup").args(["target", "add", WASM_TARGET]))
}

/// Version of the `wasm-bindgen` package recorded in Cargo.lock.
pub fn locked_wasm_bindgen_version() -> Result<String> {
    let lock_path = root().join("Cargo.lock");
    let lock = std::fs::read_to_string(&lock_path)
        .map_err(|e| format!("cannot read {}: {e}", lock_path.display()))?;
    for block in lock.split("[[package]]") {
        let field = |key: &str| {
            block.lines().find_map(|l| {
                let (k, v) = l.split_once('=')?;
                (k.trim() == key).then(|| v.trim().trim_matches('"').to_string())
            })
        };
        if field("name").as_deref() == Some("wasm-bindgen") {
            return field("version")
                .ok_or_else(|| "Cargo.lock: wasm-bindgen has no version".into());
        }
    }
    Err("Cargo.lock has no `wasm-bindgen` package (is it still a dependency?)".into())
}

/// `wasm-bindgen` CLI at exactly the Cargo.lock version.
fn wasm_bindgen() -> Result {
    let want = locked_wasm_bindgen_version()?;
    let what = format!("wasm-bindgen-cli {want}");
    // `wasm-bindgen --version` prints e.g. "wasm-bindgen 0.2.130".
    let have = output(cmd("wasm-bindgen").arg("--version"))
        .and_then(|s| s.split_whitespace().nth(1).map(str::to_string));
    match have {
        Some(v) if v == want => {
            step(&what, "ok (installed)");
            return Ok(());
        }
        Some(v) => step(&what, &format!("installing (found {v})")),
        None => step(&what, "installing (not found)"),
    }
    cargo_install("wasm-bindgen-cli", Some(&want))
}

/// Where geckodriver is: on `PATH`, else where `cargo install` puts it.
pub fn geckodriver_path() -> Option<PathBuf> {
    which("geckodriver").or_else(|| {
        let home = std::env::var_os("CARGO_HOME")
            .map(PathBuf::from)
            .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cargo")))?;
        let path = home.join("bin").join("geckodriver");
        path.is_file().then_some(path)
    })
}

/// geckodriver at exactly [`GECKODRIVER_VERSION`].
fn geckodriver() -> Result {
    let what = format!("geckodriver {GECKODRIVER_VERSION}");
    // `geckodriver --version` prints e.g. "geckodriver 0.37.1 (…)" first.
    let have = geckodriver_path()
        .and_then(|path| output(cmd(path).arg("--version")))
        .and_then(|s| s.split_whitespace().nth(1).map(str::to_string));
    match have {
        Some(v) if v == GECKODRIVER_VERSION => {
            step(&what, "ok (installed)");
            return Ok(());
        }
        Some(v) => step(&what, &format!("installing (found {v})")),
        None => step(&what, "installing (not found)"),
    }
    cargo_install("geckodriver", Some(GECKODRIVER_VERSION))
}

/// `cargo install --locked`, retrying without `--locked` if that fails.
///
/// crates.io can yank a version pinned by a tool's own lockfile, which
/// makes `--locked` unresolvable while a fresh resolution still works.
fn cargo_install(krate: &str, version: Option<&str>) -> Result {
    let install = |locked: bool| {
        let mut c = cmd("cargo");
        c.args(["install", krate]);
        if locked {
            c.arg("--locked");
        }
        if let Some(v) = version {
            c.args(["--version", v]);
        }
        run(&mut c)
    };
    install(true).or_else(|e| {
        println!("setup: {e}; retrying without --locked");
        install(false)
    })
}

/// `npm ci` when node_modules is missing or older than package-lock.json.
fn npm() -> Result {
    let what = "npm ci";
    let r = root();
    let lock = r.join("package-lock.json");
    if !lock.is_file() {
        return Err(format!(
            "{} is missing; run `npm install` to create it",
            lock.display()
        ));
    }
    if which("npm").is_none() {
        return Err("npm not found: install Node.js 20+ with npm".into());
    }
    let installed = r.join("node_modules/.package-lock.json");
    let reason = if !installed.is_file() {
        Some("node_modules missing")
    } else if mtime(&lock) > mtime(&installed) {
        Some("package-lock.json changed")
    } else if !r.join("node_modules/.bin/wasm-opt").is_file() {
        Some("wasm-opt missing")
    } else {
        None
    };
    match reason {
        None => {
            step(what, "ok (node_modules up to date)");
            Ok(())
        }
        Some(why) => {
            step(what, &format!("running ({why})"));
            run(cmd("npm").args(["ci", "--no-audit", "--no-fund"]))
        }
    }
}

/// Modification time, or the epoch if unknown.
fn mtime(p: &Path) -> SystemTime {
    std::fs::metadata(p)
        .and_then(|m| m.modified())
        .unwrap_or(SystemTime::UNIX_EPOCH)
}

/// Debian packages whose binary is missing, in one `apt-get install`.
fn apt(needs: Needs) -> Result {
    let wanted = [
        (needs.chromium, "chromium", "/usr/bin/chromium"),
        (needs.firefox, "firefox-esr", FIREFOX),
        // French for the scenarios run in French (tests/e2e/scenarios/languages.mjs).
        (needs.firefox, "firefox-esr-l10n-fr", FIREFOX_FRENCH),
        // A display for the browser test chrome.idle needs (tests/e2e/idle.test.mjs).
        (needs.chromium, "xvfb", "Xvfb"),
        (needs.oathtool, "oathtool", "oathtool"),
        (needs.zip, "zip", "zip"),
    ];
    let mut missing = Vec::new();
    for (needed, pkg, bin) in wanted {
        if !needed {
            continue;
        }
        let present = if bin.starts_with('/') {
            Path::new(bin).is_file()
        } else {
            which(bin).is_some()
        };
        let what = format!("apt {pkg}");
        if present {
            step(&what, "ok (installed)");
        } else {
            step(&what, "missing");
            missing.push(pkg);
        }
    }
    if missing.is_empty() {
        return Ok(());
    }
    let apt_get = |args: &[&str]| {
        let mut c = if crate::util::is_root() {
            cmd("apt-get")
        } else if which("sudo").is_some() {
            let mut c = cmd("sudo");
            c.arg("apt-get");
            c
        } else {
            return Err(format!(
                "not root and no sudo: install {} by hand",
                missing.join(" ")
            ));
        };
        c.args(args).env("DEBIAN_FRONTEND", "noninteractive");
        run(&mut c)
    };
    step(
        &format!("apt-get install {}", missing.join(" ")),
        "installing",
    );
    apt_get(&["update"])?;
    let mut args = vec!["install", "-y", "--no-install-recommends"];
    args.extend(&missing);
    apt_get(&args)
}

/// Nightly toolchain for cargo-fuzz.
fn nightly() -> Result {
    let what = "nightly toolchain";
    if let Some(v) = output(cmd("cargo").args(["+nightly", "--version"])) {
        step(what, &format!("ok ({v})"));
        return Ok(());
    }
    step(what, "installing");
    run(cmd("rustup").args(["toolchain", "install", "nightly", "--profile", "minimal"]))
}

/// `cargo install cargo-fuzz` unless present.
fn cargo_fuzz() -> Result {
    let what = "cargo-fuzz";
    if let Some(v) = output(cmd("cargo-fuzz").arg("--version")) {
        step(what, &format!("ok ({v})"));
        return Ok(());
    }
    step(what, "installing");
    cargo_install("cargo-fuzz", None)
}
