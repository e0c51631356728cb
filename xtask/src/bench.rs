//! `cargo xtask bench`: owned by another engineer; stubs for now.

use crate::util::Result;

/// `cargo xtask bench [args]`: not implemented yet.
pub fn bench(_args: &[String]) -> Result {
    Err("bench: not implemented yet".into())
}

/// HOOK for `cargo xtask test`: run the quick benchmark (`bench --quick`).
///
/// Placeholder until `bench` exists; replace the body with the real call.
pub fn run_bench_quick() -> Result {
    println!("bench: not yet wired");
    Ok(())
}
