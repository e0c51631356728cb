//! `cargo xtask run`: Chromium with the freshly built extension loaded.

use std::path::Path;

use crate::util::{Result, cmd, is_root, run};

/// Debian's Chromium.
pub const CHROMIUM: &str = "/usr/bin/chromium";

/// Launches Chromium with `dist` as the only extension, plus `extra` args.
pub fn launch(dist: &Path, extra: &[String]) -> Result {
    let dist = dist
        .canonicalize()
        .map_err(|e| format!("cannot resolve {}: {e}", dist.display()))?;
    let profile = std::env::temp_dir().join(format!(
        "tba-chromium-{}-{}",
        std::process::id(),
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos())
    ));
    std::fs::create_dir_all(&profile)
        .map_err(|e| format!("cannot create {}: {e}", profile.display()))?;

    let has_display = ["DISPLAY", "WAYLAND_DISPLAY"]
        .iter()
        .any(|v| std::env::var_os(v).is_some_and(|s| !s.is_empty()));
    let headless = extra.iter().any(|a| a.starts_with("--headless"));
    if !has_display && !headless {
        println!("run: no $DISPLAY: Chromium needs a display. Without one, pass Chromium args");
        println!(
            "run: after `--`, e.g. `cargo xtask run -- --headless=new --remote-debugging-port=9222`"
        );
        println!(
            "run: (or `apt-get install xvfb` and use `xvfb-run cargo xtask run`). Launching anyway."
        );
    }

    let mut c = cmd(CHROMIUM);
    c.arg(format!("--user-data-dir={}", profile.display()));
    c.arg(format!("--disable-extensions-except={}", dist.display()));
    c.arg(format!("--load-extension={}", dist.display()));
    c.args(["--no-first-run", "--no-default-browser-check"]);
    if is_root() {
        c.arg("--no-sandbox");
    }
    c.args(extra);
    let result = run(&mut c);
    // Best effort: the profile is throwaway, like `mktemp -d`.
    let _ = std::fs::remove_dir_all(&profile);
    result
}
