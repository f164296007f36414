//! Configuration from the environment (README.md lists every variable).

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use anyhow::{Context, bail};
use lapor_domain::fields::{Email, Password};

/// Where the data lives.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Backend {
    /// One SQLite file in the data directory (`LAPOR_BACKEND=embedded`, the default).
    Embedded,
    /// DynamoDB through the standard AWS environment (`LAPOR_BACKEND=aws`).
    Aws {
        /// The table (`LAPOR_TABLE`, default `lapor`).
        table: String,
        /// The attachments' bucket (`LAPOR_BUCKET`, default `lapor-attachments`).
        bucket: String,
        /// Create the table and bucket when they are missing (`LAPOR_CREATE_RESOURCES=1`).
        create_resources: bool,
    },
}

/// Where the token secret comes from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SecretSource {
    /// Given (`LAPOR_JWT_SECRET`, at least 32 characters).
    Value(Vec<u8>),
    /// A Secrets Manager secret, read once at start (`LAPOR_JWT_SECRET_ARN`): how the deployed
    /// functions get it, so it never sits in their configuration.
    SecretsManager(String),
    /// Generated once into the data directory (neither variable set).
    DataDir,
}

/// What lapor needs to start.
#[derive(Clone, Debug)]
pub struct Config {
    /// Where `lapor-local` listens (`LAPOR_ADDR`, default `127.0.0.1:3000`).
    pub addr: SocketAddr,
    /// Where the data lives (`LAPOR_DATA_DIR`, default `./.lapor`).
    pub data_dir: PathBuf,
    /// Where the token secret comes from.
    pub jwt_secret: SecretSource,
    /// The first national admin (`LAPOR_BOOTSTRAP_ADMIN_EMAIL` and `..._PASSWORD`).
    pub bootstrap_admin: Option<(Email, Password)>,
    /// Where reports and accounts are stored.
    pub backend: Backend,
    /// Seed the development world into an empty store (`LAPOR_DEV_SEED=1`; see [`crate::dev`]).
    pub dev_seed: bool,
    /// The address clients reach this server at (`LAPOR_PUBLIC_URL`, such as
    /// `https://lapor.example.go.id`), for the upload and download URLs of the embedded
    /// backend; unset, they are made from each request's `Host`.
    pub public_url: Option<String>,
    /// A holiday calendar replacing the built-in one (`LAPOR_CALENDAR_FILE`, the format of
    /// `lapor_domain::calendar::CalendarFile`), read at start: how operators follow an amended
    /// decree without a new release.
    pub calendar_file: Option<PathBuf>,
    /// How often `lapor-local` runs the scheduled jobs (`LAPOR_JOBS_INTERVAL`, in seconds,
    /// default 300); `None` (`0`): never on its own, only from the command line.
    pub jobs_interval: Option<Duration>,
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
        let jwt_secret = match (lookup("LAPOR_JWT_SECRET"), lookup("LAPOR_JWT_SECRET_ARN")) {
            (Some(s), _) if s.len() < 32 => {
                bail!("LAPOR_JWT_SECRET must be at least 32 characters")
            }
            (Some(s), _) => SecretSource::Value(s.into_bytes()),
            (None, Some(arn)) => SecretSource::SecretsManager(arn),
            (None, None) => SecretSource::DataDir,
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
        let backend = match lookup("LAPOR_BACKEND").as_deref() {
            None | Some("embedded") => Backend::Embedded,
            Some("aws") => Backend::Aws {
                table: lookup("LAPOR_TABLE").unwrap_or_else(|| "lapor".into()),
                bucket: lookup("LAPOR_BUCKET").unwrap_or_else(|| "lapor-attachments".into()),
                create_resources: lookup("LAPOR_CREATE_RESOURCES").as_deref() == Some("1"),
            },
            Some(other) => bail!("LAPOR_BACKEND must be `embedded` or `aws`, not `{other}`"),
        };
        let dev_seed = lookup("LAPOR_DEV_SEED").as_deref() == Some("1");
        if dev_seed && matches!(backend, Backend::Aws { .. }) {
            // Its passwords are public: a deployment (always on DynamoDB) must never get them.
            bail!("LAPOR_DEV_SEED is for the embedded backend only");
        }
        let public_url = lookup("LAPOR_PUBLIC_URL")
            .map(|url| {
                let url = url.trim_end_matches('/').to_string();
                if url.starts_with("http://") || url.starts_with("https://") {
                    Ok(url)
                } else {
                    Err(anyhow::anyhow!(
                        "LAPOR_PUBLIC_URL must start with http:// or https://"
                    ))
                }
            })
            .transpose()?;
        let calendar_file = lookup("LAPOR_CALENDAR_FILE").map(PathBuf::from);
        let jobs_interval = match lookup("LAPOR_JOBS_INTERVAL") {
            None => Some(Duration::from_secs(300)),
            Some(raw) => match raw.parse::<u64>() {
                Ok(0) => None,
                Ok(seconds) => Some(Duration::from_secs(seconds)),
                Err(_) => bail!("LAPOR_JOBS_INTERVAL must be a number of seconds (0: off)"),
            },
        };
        Ok(Self {
            public_url,
            addr,
            data_dir,
            jwt_secret,
            bootstrap_admin,
            backend,
            dev_seed,
            calendar_file,
            jobs_interval,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config(vars: &[(&str, &str)]) -> anyhow::Result<Config> {
        Config::from_lookup(|name| {
            vars.iter()
                .find(|(k, _)| *k == name)
                .map(|(_, v)| v.to_string())
        })
    }

    #[test]
    fn the_backend_is_embedded_unless_aws_is_asked_for() {
        assert_eq!(config(&[]).unwrap().backend, Backend::Embedded);
        assert_eq!(
            config(&[("LAPOR_BACKEND", "aws")]).unwrap().backend,
            Backend::Aws {
                table: "lapor".into(),
                bucket: "lapor-attachments".into(),
                create_resources: false
            }
        );
        let named = [
            ("LAPOR_BACKEND", "aws"),
            ("LAPOR_TABLE", "lapor-staging"),
            ("LAPOR_BUCKET", "lapor-staging-attachments"),
            ("LAPOR_CREATE_RESOURCES", "1"),
        ];
        assert_eq!(
            config(&named).unwrap().backend,
            Backend::Aws {
                table: "lapor-staging".into(),
                bucket: "lapor-staging-attachments".into(),
                create_resources: true
            }
        );
        assert!(config(&[("LAPOR_BACKEND", "postgres")]).is_err());
    }

    #[test]
    fn the_development_world_never_reaches_dynamodb() {
        assert!(config(&[("LAPOR_DEV_SEED", "1")]).unwrap().dev_seed);
        assert!(config(&[("LAPOR_DEV_SEED", "1"), ("LAPOR_BACKEND", "aws")]).is_err());
    }

    #[test]
    fn the_jobs_run_every_five_minutes_unless_told_otherwise() {
        assert_eq!(
            config(&[]).unwrap().jobs_interval,
            Some(Duration::from_secs(300))
        );
        assert_eq!(
            config(&[("LAPOR_JOBS_INTERVAL", "60")])
                .unwrap()
                .jobs_interval,
            Some(Duration::from_secs(60))
        );
        assert_eq!(
            config(&[("LAPOR_JOBS_INTERVAL", "0")])
                .unwrap()
                .jobs_interval,
            None
        );
        assert!(config(&[("LAPOR_JOBS_INTERVAL", "lima")]).is_err());
    }

    #[test]
    fn the_token_secret_is_given_fetched_or_generated() {
        let arn = "arn:aws:secretsmanager:ap-southeast-3:123456789012:secret:lapor-jwt";
        let long = "r".repeat(32);
        assert_eq!(config(&[]).unwrap().jwt_secret, SecretSource::DataDir);
        assert_eq!(
            config(&[("LAPOR_JWT_SECRET_ARN", arn)]).unwrap().jwt_secret,
            SecretSource::SecretsManager(arn.into())
        );
        assert_eq!(
            config(&[("LAPOR_JWT_SECRET", &long), ("LAPOR_JWT_SECRET_ARN", arn)])
                .unwrap()
                .jwt_secret,
            SecretSource::Value(long.clone().into_bytes())
        );
        assert!(config(&[("LAPOR_JWT_SECRET", "pendek")]).is_err());
    }
}
