//! Configuration from the environment (README.md lists every variable).

use std::net::SocketAddr;
use std::path::PathBuf;

use anyhow::{Context, bail};
use lapor_domain::fields::{Email, Password};

/// What `lapor-local` needs to start.
#[derive(Clone, Debug)]
pub struct Config {
    /// Where to listen (`LAPOR_ADDR`, default `127.0.0.1:3000`).
    pub addr: SocketAddr,
    /// Where the data lives (`LAPOR_DATA_DIR`, default `./.lapor`).
    pub data_dir: PathBuf,
    /// The token secret (`LAPOR_JWT_SECRET`); generated once into the data dir when unset.
    pub jwt_secret: Option<Vec<u8>>,
    /// The first national admin (`LAPOR_BOOTSTRAP_ADMIN_EMAIL` and `..._PASSWORD`).
    pub bootstrap_admin: Option<(Email, Password)>,
}

impl Config {
    /// Reads the environment.
    pub fn from_env() -> anyhow::Result<Self> {
        Self::from_lookup(|name| std::env::var(name).ok().filter(|v| !v.is_empty()))
    }

    /// Reads configuration through `lookup` (the environment, or a map in tests).
    pub fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> anyhow::Result<Self> {
        let addr = lookup("LAPOR_ADDR")
            .unwrap_or_else(|| "127.0.0.1:3000".into())
            .parse()
            .context("LAPOR_ADDR must be an address such as 127.0.0.1:3000")?;
        let data_dir = PathBuf::from(lookup("LAPOR_DATA_DIR").unwrap_or_else(|| "./.lapor".into()));
        let jwt_secret = match lookup("LAPOR_JWT_SECRET") {
            Some(s) if s.len() < 32 => bail!("LAPOR_JWT_SECRET must be at least 32 characters"),
            other => other.map(String::into_bytes),
        };
        let bootstrap_admin = match (
            lookup("LAPOR_BOOTSTRAP_ADMIN_EMAIL"),
            lookup("LAPOR_BOOTSTRAP_ADMIN_PASSWORD"),
        ) {
            (Some(email), Some(password)) => Some((
                Email::parse(&email)
                    .map_err(|m| anyhow::anyhow!("LAPOR_BOOTSTRAP_ADMIN_EMAIL {m}"))?,
                Password::parse(&password)
                    .map_err(|m| anyhow::anyhow!("LAPOR_BOOTSTRAP_ADMIN_PASSWORD {m}"))?,
            )),
            _ => None,
        };
        Ok(Self {
            addr,
            data_dir,
            jwt_secret,
            bootstrap_admin,
        })
    }
}
