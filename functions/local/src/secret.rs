//! The token secret, generated once and kept in the data directory so tokens survive restarts.

use std::fs;
use std::io::Write;
use std::path::Path;

use anyhow::Context;
use lapor_app::{Ids, RandomIds};

const FILE: &str = "jwt-secret";

/// Reads the secret from the data dir, or creates it (readable by the owner only).
pub fn load_or_create(data_dir: &Path) -> anyhow::Result<Vec<u8>> {
    let path = data_dir.join(FILE);
    if let Ok(secret) = fs::read(&path)
        && secret.len() >= 32
    {
        return Ok(secret);
    }
    fs::create_dir_all(data_dir)?;
    let secret: Vec<u8> = RandomIds
        .secret(48)
        .iter()
        .map(|b| {
            b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"[usize::from(b & 63)]
        })
        .collect();
    // Written to a temporary file and renamed, so a crash never leaves half a secret.
    let tmp = data_dir.join(format!("{FILE}.tmp"));
    let mut options = fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut file = options
        .open(&tmp)
        .context("cannot write the token secret")?;
    file.write_all(&secret)?;
    file.sync_all()?;
    fs::rename(&tmp, &path)?;
    Ok(secret)
}
