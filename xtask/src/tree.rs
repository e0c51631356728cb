//! Did a step dirty the work tree? `git status` before and after, so the developer's own
//! uncommitted work is not blamed on the step, with a content fingerprint of every file that was
//! already dirty, so a step that rewrites one of those is still caught.

use std::collections::BTreeMap;
use std::hash::{DefaultHasher, Hash, Hasher};

use crate::util::{Result, cmd, root};

/// The dirty files of the work tree: path → (`git status` code, content fingerprint).
#[derive(Debug, PartialEq, Eq)]
pub struct Snapshot(BTreeMap<String, (String, Option<u64>)>);

/// The work tree's dirty files now, or `None` outside a git checkout (nothing to compare).
pub fn snapshot() -> Result<Option<Snapshot>> {
    let out = cmd("git")
        .args(["status", "--porcelain=v1", "-z", "--untracked-files=all"])
        .output()
        .map_err(|e| format!("cannot run git status: {e}"))?;
    if !out.status.success() {
        return Ok(None);
    }
    let entries = parse_porcelain(&String::from_utf8_lossy(&out.stdout))?;
    let files = entries
        .into_iter()
        .map(|(code, path)| {
            let print = fingerprint(&path);
            (path, (code, print))
        })
        .collect();
    Ok(Some(Snapshot(files)))
}

/// Files dirty in `after` that were clean in `before`, or whose status or content changed.
pub fn dirtied(before: &Snapshot, after: &Snapshot) -> Vec<String> {
    after
        .0
        .iter()
        .filter(|(path, state)| before.0.get(*path) != Some(*state))
        .map(|(path, (code, _))| format!("{code} {path}"))
        .chain(
            // A dirty file the step restored to its committed state is a change too.
            before
                .0
                .keys()
                .filter(|path| !after.0.contains_key(*path))
                .map(|path| format!("(now clean) {path}")),
        )
        .collect()
}

/// Runs `step`; fails with the list of files it dirtied (outside a git checkout, just runs it).
pub fn require_clean<T>(what: &str, step: impl FnOnce() -> Result<T>) -> Result<T> {
    let before = snapshot()?;
    let value = step()?;
    let Some(before) = before else {
        println!("{what}: not a git checkout, work tree not checked");
        return Ok(value);
    };
    let after = snapshot()?.ok_or("git status worked before the step and not after it")?;
    let changed = dirtied(&before, &after);
    if changed.is_empty() {
        println!("{what}: work tree as clean as before");
        Ok(value)
    } else {
        Err(format!(
            "{what} changed files in the work tree (tests must write under target/):\n  {}",
            changed.join("\n  ")
        ))
    }
}

/// `(status code, path)` of each entry of `git status --porcelain=v1 -z` output.
fn parse_porcelain(out: &str) -> Result<Vec<(String, String)>> {
    let mut entries = Vec::new();
    let mut fields = out.split('\0').filter(|f| !f.is_empty());
    while let Some(field) = fields.next() {
        let (code, path) = field
            .split_at_checked(3)
            .ok_or_else(|| format!("unexpected git status line {field:?}"))?;
        let code = code.trim().to_string();
        // A rename or copy is followed by the old path, which is not a file of its own here.
        if code.contains('R') || code.contains('C') {
            fields.next();
        }
        entries.push((code, path.to_string()));
    }
    Ok(entries)
}

/// A hash of the file's bytes (`None` when it cannot be read, e.g. deleted).
fn fingerprint(path: &str) -> Option<u64> {
    let bytes = std::fs::read(root().join(path)).ok()?;
    let mut hasher = DefaultHasher::new();
    bytes.hash(&mut hasher);
    Some(hasher.finish())
}

#[cfg(test)]
mod tests {
    use super::{Snapshot, dirtied, parse_porcelain};

    fn snap(entries: &[(&str, &str, Option<u64>)]) -> Snapshot {
        Snapshot(
            entries
                .iter()
                .map(|(code, path, print)| (path.to_string(), (code.to_string(), *print)))
                .collect(),
        )
    }

    #[test]
    fn reads_porcelain_z_with_renames() {
        let out = " M docs/a.png\0?? target2/x\0R  new.txt\0old.txt\0";
        assert_eq!(
            parse_porcelain(out),
            Ok(vec![
                ("M".into(), "docs/a.png".into()),
                ("??".into(), "target2/x".into()),
                ("R".into(), "new.txt".into()),
            ])
        );
    }

    #[test]
    fn blames_only_what_the_step_changed() {
        let before = snap(&[("M", "mine.rs", Some(1)), ("M", "docs/a.png", Some(2))]);
        let after = snap(&[
            ("M", "mine.rs", Some(1)),
            ("M", "docs/a.png", Some(3)),
            ("M", "docs/b.png", Some(4)),
            ("??", "stray.txt", Some(5)),
        ]);
        assert_eq!(
            dirtied(&before, &after),
            vec!["M docs/a.png", "M docs/b.png", "?? stray.txt"]
        );
        assert!(
            dirtied(
                &before,
                &snap(&[("M", "mine.rs", Some(1)), ("M", "docs/a.png", Some(2))])
            )
            .is_empty()
        );
        assert_eq!(
            dirtied(&before, &snap(&[("M", "mine.rs", Some(1))])),
            vec!["(now clean) docs/a.png"]
        );
    }
}
