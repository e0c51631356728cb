//! Helpers shared by the commands: paths, process spawning, sizes.

use std::ffi::OsStr;
use std::fmt::Write as _;
use std::io::Read as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Duration;

/// Error type of every command: a message for the user.
pub type Result<T = ()> = std::result::Result<T, String>;

/// The repository root (parent of `xtask/`).
pub fn root() -> PathBuf {
    let manifest_dir = std::env::var_os("CARGO_MANIFEST_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")));
    manifest_dir
        .parent()
        .map_or(manifest_dir.clone(), Path::to_path_buf)
}

/// Cargo's target directory (honours `CARGO_TARGET_DIR`).
pub fn target_dir() -> PathBuf {
    match std::env::var_os("CARGO_TARGET_DIR") {
        Some(dir) => root().join(dir),
        None => root().join("target"),
    }
}

/// A `Command` whose working directory is the repository root.
pub fn cmd(program: impl AsRef<OsStr>) -> Command {
    let mut c = Command::new(program);
    c.current_dir(root());
    c
}

/// Shell-like rendering of a command, for logs.
pub fn render(c: &Command) -> String {
    let mut s = String::new();
    for (k, v) in c.get_envs() {
        if let Some(v) = v {
            let _ = write!(s, "{}={} ", k.to_string_lossy(), v.to_string_lossy());
        }
    }
    s.push_str(&c.get_program().to_string_lossy());
    for a in c.get_args() {
        let a = a.to_string_lossy();
        if a.is_empty() || a.contains(' ') {
            let _ = write!(s, " '{a}'");
        } else {
            let _ = write!(s, " {a}");
        }
    }
    s
}

/// Echoes and runs a command with inherited stdio; errors on non-zero exit.
pub fn run(c: &mut Command) -> Result {
    println!("$ {}", render(c));
    let status = c
        .status()
        .map_err(|e| format!("cannot start `{}`: {e}", render(c)))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("`{}` failed ({status})", render(c)))
    }
}

/// Runs a command quietly; returns trimmed stdout if it succeeded.
pub fn output(c: &mut Command) -> Option<String> {
    let out = c.stderr(Stdio::null()).output().ok()?;
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).trim().to_string())
}

/// Looks a program up in `$PATH`.
pub fn which(program: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|dir| dir.join(program))
        .find(|p| p.is_file())
}

/// Whether this process runs as root (uid 0).
pub fn is_root() -> bool {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("Uid:"))
                .and_then(|l| l.split_whitespace().nth(1).map(|u| u == "0"))
        })
        .unwrap_or(false)
}

/// Size of `path` compressed with `gzip -9`.
pub fn gzip_size(path: &Path) -> Result<u64> {
    let mut child = Command::new("gzip")
        .args(["-9", "-n", "-c"])
        .arg(path)
        .stdout(Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot start gzip: {e}"))?;
    let mut n = 0u64;
    let mut buf = [0u8; 64 * 1024];
    if let Some(mut out) = child.stdout.take() {
        loop {
            let read = out.read(&mut buf).map_err(|e| format!("gzip: {e}"))?;
            if read == 0 {
                break;
            }
            n += read as u64;
        }
    }
    let status = child.wait().map_err(|e| format!("gzip: {e}"))?;
    if !status.success() {
        return Err(format!("gzip -9 {} failed ({status})", path.display()));
    }
    Ok(n)
}

/// Human-friendly duration, e.g. `1m05.3s` or `4.2s`.
pub fn fmt_duration(d: Duration) -> String {
    let secs = d.as_secs_f64();
    if secs >= 60.0 {
        let mins = (secs / 60.0).floor();
        format!("{}m{:04.1}s", mins as u64, secs - mins * 60.0)
    } else {
        format!("{secs:.1}s")
    }
}

/// Byte count with thousands separators, e.g. `12,345`.
pub fn fmt_bytes(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(ch);
    }
    out
}

/// Path relative to the repository root, for display.
pub fn rel(path: &Path) -> String {
    path.strip_prefix(root())
        .unwrap_or(path)
        .display()
        .to_string()
}

/// Echoes and runs a command, returning its stdout (stderr passes through).
pub fn capture(c: &mut Command) -> Result<String> {
    println!("$ {}", render(c));
    let out = c
        .stderr(Stdio::inherit())
        .output()
        .map_err(|e| format!("cannot start `{}`: {e}", render(c)))?;
    if out.status.success() {
        Ok(String::from_utf8_lossy(&out.stdout).into_owned())
    } else {
        Err(format!("`{}` failed ({})", render(c), out.status))
    }
}
