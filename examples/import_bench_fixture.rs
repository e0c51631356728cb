//! Writes an encrypted Aegis vault of N made-up accounts with our own Aegis writer
//! (`transfer::aegis::write_encrypted`: scrypt n = 2^15, r = 8, p = 1, as Aegis itself writes),
//! for the import bench (`bench/lib/import.mjs`). Every key is derived from its index, so the
//! file's entries are the same in every run (the salt and nonces are fresh).
//!
//! ```sh
//! cargo run --example import_bench_fixture -- 1000 'bench password' /tmp/aegis-1000.json
//! ```

use toolbar_authenticator::otp::{Algorithm, OtpKind, OtpParams};
use toolbar_authenticator::secret::Secret;
use toolbar_authenticator::transfer::{ExportEntry, aegis};

fn main() -> Result<(), String> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [count, password, out] = args.as_slice() else {
        return Err("usage: import_bench_fixture COUNT PASSWORD OUT".into());
    };
    let count: usize = count.parse().map_err(|e| format!("COUNT {count:?}: {e}"))?;
    let accounts: Vec<(String, String, OtpParams, Secret)> = (0..count)
        .map(|i| {
            // One account in ten is counter-based, as in real lists: mostly TOTP.
            let kind = if i % 10 == 9 {
                OtpKind::Hotp { counter: i as u64 }
            } else {
                OtpKind::Totp { period: 30 }
            };
            let params = OtpParams {
                kind,
                algorithm: Algorithm::Sha1,
                digits: 6,
            };
            let mut key: Vec<u8> = (0..20u8)
                .map(|b| (i as u8).wrapping_mul(31) ^ b.wrapping_mul(7) ^ (i >> 8) as u8)
                .collect();
            let secret = Secret::from_bytes(&mut key).map_err(|e| e.to_string())?;
            Ok((
                format!("Bench {i:04}"),
                format!("user{i:04}@example.com"),
                params,
                secret,
            ))
        })
        .collect::<Result<_, String>>()?;
    let entries: Vec<ExportEntry<'_>> = accounts
        .iter()
        .map(|(issuer, name, params, secret)| ExportEntry {
            issuer,
            name,
            params: *params,
            secret,
        })
        .collect();
    let bytes = aegis::write_encrypted(&entries, password).map_err(|e| e.to_string())?;
    std::fs::write(out, bytes).map_err(|e| format!("{out}: {e}"))?;
    println!("{out}: {count} accounts");
    Ok(())
}
