//! Sets `TBA_BUILD_UNIX_SECONDS` from `SOURCE_DATE_EPOCH` when it is given (reproducible
//! release builds set it to the commit time). The clock check refuses server times before
//! it; `src/clock_source.rs` falls back to a fixed floor when it is unset or earlier.

fn main() {
    println!("cargo:rerun-if-env-changed=SOURCE_DATE_EPOCH");
    if let Some(seconds) = std::env::var("SOURCE_DATE_EPOCH")
        .ok()
        .and_then(|text| text.trim().parse::<u64>().ok())
    {
        println!("cargo:rustc-env=TBA_BUILD_UNIX_SECONDS={seconds}");
    }
}
