//! Configuration from the environment (README.md lists every variable), checked before anything
//! starts. lapor-setup builds the app from it; this crate is apart from it so that what reads
//! the configuration builds without the AWS SDK.

use std::net::{IpAddr, SocketAddr};
use std::path::PathBuf;
use std::time::Duration;

use anyhow::{Context, bail};
use lapor_domain::fields::{Email, Password};
use url::Host;

/// Where the data lives.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Backend {
    /// One SQLite file in the data directory (`LAPOR_BACKEND=embedded`, the default).
    Embedded,
    /// DynamoDB, S3, SQS and EventBridge through the standard AWS environment
    /// (`LAPOR_BACKEND=aws`).
    Aws(AwsResources),
}

/// The AWS resources lapor runs on.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AwsResources {
    /// The table (`LAPOR_TABLE`, default `lapor`).
    pub table: String,
    /// The attachments' bucket (`LAPOR_BUCKET`, default `lapor-attachments`).
    pub bucket: String,
    /// The notifications' queue.
    pub queue: Queue,
    /// The integration events' bus (`LAPOR_EVENT_BUS`, default `lapor`).
    pub event_bus: String,
    /// Create the table, bucket, queue and bus when they are missing
    /// (`LAPOR_CREATE_RESOURCES=1`).
    pub create_resources: bool,
}

/// The notifications' SQS queue.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Queue {
    /// By URL (`LAPOR_QUEUE_URL`: how the deployed functions get it).
    Url(String),
    /// By name (`LAPOR_QUEUE`, default `lapor-notifications`), looked up (or created) at start.
    Name(String),
}

/// An outgoing webhook channel (`LAPOR_WEBHOOKS`: a JSON list of them).
#[derive(Clone, Debug, PartialEq, Eq, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WebhookChannel {
    /// Its name, such as `sms`, `email` or `whatsapp`.
    pub name: String,
    /// Where notifications are posted (`https://`; `http://` only to a gateway on localhost).
    pub url: String,
    /// The key their HMAC-SHA256 signature is made with (at least 16 characters).
    pub secret: String,
}

/// Reads and checks `LAPOR_WEBHOOKS`.
fn webhook_channels(raw: Option<String>) -> anyhow::Result<Vec<WebhookChannel>> {
    let Some(raw) = raw else {
        return Ok(Vec::new());
    };
    let channels: Vec<WebhookChannel> = serde_json::from_str(&raw).context(
        "LAPOR_WEBHOOKS must be a JSON list of {\"name\", \"url\", \"secret\"} channels",
    )?;
    for (i, c) in channels.iter().enumerate() {
        if c.name.is_empty() || channels[..i].iter().any(|d| d.name == c.name) {
            bail!("LAPOR_WEBHOOKS: each channel needs its own name");
        }
        if !webhook_url_allowed(&c.url) {
            bail!(
                "LAPOR_WEBHOOKS: the url of {} must be an https:// URL (http:// only to localhost)",
                c.name
            );
        }
        if c.secret.len() < 16 {
            bail!(
                "LAPOR_WEBHOOKS: the secret of {} must be at least 16 characters",
                c.name
            );
        }
    }
    Ok(channels)
}

/// Where a webhook may post: the payloads carry a reporter's e-mail and phone, so over TLS,
/// except to a gateway on this very machine. The URL is read by the parser the HTTP client
/// uses, so the check is on where the request goes, not on how the text begins:
/// `http://localhost:@gateway.example/` is the user `localhost` at `gateway.example`, in the
/// clear; and a URL it cannot read is refused at start rather than at each notification.
fn webhook_url_allowed(raw: &str) -> bool {
    let Ok(url) = url::Url::parse(raw) else {
        return false;
    };
    match (url.scheme(), url.host()) {
        ("https", Some(_)) => true,
        ("http", Some(Host::Domain(name))) => name == "localhost",
        ("http", Some(Host::Ipv4(ip))) => ip.is_loopback(),
        ("http", Some(Host::Ipv6(ip))) => ip.is_loopback(),
        _ => false,
    }
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
    /// The secret tokens were signed with before the current one (`LAPOR_JWT_PREVIOUS_SECRET`,
    /// during a rotation): its tokens are still accepted until they expire. From Secrets
    /// Manager, the secret's `AWSPREVIOUS` version is that.
    pub jwt_previous_secret: Option<Vec<u8>>,
    /// The first national admin (`LAPOR_BOOTSTRAP_ADMIN_EMAIL` and `..._PASSWORD`).
    pub bootstrap_admin: Option<(Email, Password)>,
    /// Where reports and accounts are stored.
    pub backend: Backend,
    /// Seed the development world into an empty store (`LAPOR_DEV_SEED=1`; see lapor-setup's
    /// `dev`).
    pub dev_seed: bool,
    /// The address clients reach this server at (`LAPOR_PUBLIC_URL`, such as
    /// `https://lapor.example.go.id`), for the upload and download URLs of the embedded
    /// backend; unset, they are made from each request's `Host`, served only when that is a
    /// loopback address (so the setting is required when listening on any other).
    pub public_url: Option<String>,
    /// The origins whose browsers may call the API (`LAPOR_CORS_ORIGINS`, comma-separated,
    /// such as `https://lapor.example.go.id`); none: no cross-origin access.
    pub cors_origins: Vec<String>,
    /// The proxies in front whose `X-Forwarded-For` tells a client's address
    /// (`LAPOR_TRUSTED_PROXIES`, comma-separated IP addresses); none: the connection's peer is
    /// the client.
    pub trusted_proxies: Vec<IpAddr>,
    /// The outgoing webhook channels (`LAPOR_WEBHOOKS`).
    pub webhooks: Vec<WebhookChannel>,
    /// A holiday calendar replacing the built-in one (`LAPOR_CALENDAR_FILE`, the format of
    /// `lapor_domain::calendar::CalendarFile`), read at start: how operators follow an amended
    /// decree without a new release.
    pub calendar_file: Option<PathBuf>,
    /// How often `lapor-local` runs the scheduled jobs (`LAPOR_JOBS_INTERVAL`, in seconds,
    /// default 300); `None` (`0`): never on its own, only from the command line.
    pub jobs_interval: Option<Duration>,
    /// What `lapor-local` allows each client connection.
    pub connections: ConnectionLimits,
}

/// What the server allows a client connection, so that slow or greedy clients cannot hold it
/// for everyone (a half-sent request, an idle keep-alive, a trickled body).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ConnectionLimits {
    /// Until a request's headers have arrived, including the wait for the next request on a
    /// kept-alive connection (`LAPOR_HEADER_TIMEOUT`, seconds, default 10).
    pub header_timeout: Duration,
    /// Until a request's body has arrived (`LAPOR_BODY_TIMEOUT`, seconds, default 30).
    pub body_timeout: Duration,
    /// Connections served at once; more wait to be accepted (`LAPOR_MAX_CONNECTIONS`, default
    /// 1024).
    pub max_connections: usize,
}

impl ConnectionLimits {
    /// The limits when nothing is configured.
    pub const DEFAULT: Self = Self {
        header_timeout: Duration::from_secs(10),
        body_timeout: Duration::from_secs(30),
        max_connections: 1024,
    };

    fn from_lookup(lookup: &impl Fn(&str) -> Option<String>) -> anyhow::Result<Self> {
        let number = |name: &str, default: u64| -> anyhow::Result<u64> {
            match lookup(name) {
                None => Ok(default),
                Some(raw) => match raw.parse::<u64>() {
                    Ok(n) if n > 0 => Ok(n),
                    _ => bail!("{name} must be a whole number above 0"),
                },
            }
        };
        let default = Self::DEFAULT;
        let seconds = |name, default: Duration| -> anyhow::Result<Duration> {
            Ok(Duration::from_secs(number(name, default.as_secs())?))
        };
        Ok(Self {
            header_timeout: seconds("LAPOR_HEADER_TIMEOUT", default.header_timeout)?,
            body_timeout: seconds("LAPOR_BODY_TIMEOUT", default.body_timeout)?,
            max_connections: usize::try_from(number(
                "LAPOR_MAX_CONNECTIONS",
                default.max_connections as u64,
            )?)
            .unwrap_or(usize::MAX),
        })
    }
}

impl Config {
    /// Reads the environment.
    pub fn from_env() -> anyhow::Result<Self> {
        Self::from_lookup(|name| std::env::var(name).ok().filter(|v| !v.is_empty()))
    }

    /// Reads configuration through `lookup` (the environment, or a map in tests).
    pub fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> anyhow::Result<Self> {
        let addr: SocketAddr = lookup("LAPOR_ADDR")
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
        let jwt_previous_secret = match lookup("LAPOR_JWT_PREVIOUS_SECRET") {
            Some(s) if s.len() < 32 => {
                bail!("LAPOR_JWT_PREVIOUS_SECRET must be at least 32 characters")
            }
            previous => previous.map(String::into_bytes),
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
            Some("aws") => Backend::Aws(AwsResources {
                table: lookup("LAPOR_TABLE").unwrap_or_else(|| "lapor".into()),
                bucket: lookup("LAPOR_BUCKET").unwrap_or_else(|| "lapor-attachments".into()),
                queue: match lookup("LAPOR_QUEUE_URL") {
                    Some(url) => Queue::Url(url),
                    None => Queue::Name(
                        lookup("LAPOR_QUEUE").unwrap_or_else(|| "lapor-notifications".into()),
                    ),
                },
                event_bus: lookup("LAPOR_EVENT_BUS").unwrap_or_else(|| "lapor".into()),
                create_resources: lookup("LAPOR_CREATE_RESOURCES").as_deref() == Some("1"),
            }),
            Some(other) => bail!("LAPOR_BACKEND must be `embedded` or `aws`, not `{other}`"),
        };
        let dev_seed = lookup("LAPOR_DEV_SEED").as_deref() == Some("1");
        if dev_seed && matches!(backend, Backend::Aws(_)) {
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
        if public_url.is_none() && backend == Backend::Embedded && !addr.ip().is_loopback() {
            // Its upload and download URLs would name whatever `Host` a client sends.
            bail!(
                "LAPOR_PUBLIC_URL must be set when LAPOR_ADDR is not a loopback address \
                 (the address clients reach this server at, such as https://lapor.example.go.id)"
            );
        }
        let cors_origins = cors_origins(lookup("LAPOR_CORS_ORIGINS"))?;
        let trusted_proxies = lookup("LAPOR_TRUSTED_PROXIES")
            .unwrap_or_default()
            .split(',')
            .map(str::trim)
            .filter(|proxy| !proxy.is_empty())
            .map(|proxy| {
                proxy.parse().map_err(|_| {
                    anyhow::anyhow!("LAPOR_TRUSTED_PROXIES must list IP addresses, not `{proxy}`")
                })
            })
            .collect::<anyhow::Result<Vec<IpAddr>>>()?;
        let calendar_file = lookup("LAPOR_CALENDAR_FILE").map(PathBuf::from);
        let jobs_interval = match lookup("LAPOR_JOBS_INTERVAL") {
            None => Some(Duration::from_secs(300)),
            Some(raw) => match raw.parse::<u64>() {
                Ok(0) => None,
                Ok(seconds) => Some(Duration::from_secs(seconds)),
                Err(_) => bail!("LAPOR_JOBS_INTERVAL must be a number of seconds (0: off)"),
            },
        };
        let webhooks = webhook_channels(lookup("LAPOR_WEBHOOKS"))?;
        let connections = ConnectionLimits::from_lookup(&lookup)?;
        Ok(Self {
            trusted_proxies,
            cors_origins,
            connections,
            webhooks,
            public_url,
            addr,
            data_dir,
            jwt_secret,
            jwt_previous_secret,
            bootstrap_admin,
            backend,
            dev_seed,
            calendar_file,
            jobs_interval,
        })
    }
}

/// The origins of `LAPOR_CORS_ORIGINS`: each a scheme and a host (and a port), as a browser
/// sends it in `Origin`, with no path and no `*`.
fn cors_origins(raw: Option<String>) -> anyhow::Result<Vec<String>> {
    let Some(raw) = raw else {
        return Ok(Vec::new());
    };
    raw.split(',')
        .map(str::trim)
        .filter(|origin| !origin.is_empty())
        .map(|origin| {
            let host = origin
                .strip_prefix("https://")
                .or_else(|| origin.strip_prefix("http://"));
            let valid = host.is_some_and(|host| {
                !host.is_empty()
                    && host
                        .chars()
                        .all(|c| c.is_ascii_alphanumeric() || "-.:[]".contains(c))
            });
            if valid {
                Ok(origin.to_string())
            } else {
                bail!(
                    "LAPOR_CORS_ORIGINS must list origins such as https://lapor.example.go.id, \
                     not `{origin}`"
                )
            }
        })
        .collect()
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
            Backend::Aws(AwsResources {
                table: "lapor".into(),
                bucket: "lapor-attachments".into(),
                queue: Queue::Name("lapor-notifications".into()),
                event_bus: "lapor".into(),
                create_resources: false
            })
        );
        let named = [
            ("LAPOR_BACKEND", "aws"),
            ("LAPOR_TABLE", "lapor-staging"),
            ("LAPOR_BUCKET", "lapor-staging-attachments"),
            (
                "LAPOR_QUEUE_URL",
                "https://sqs.ap-southeast-3.amazonaws.com/1/q",
            ),
            ("LAPOR_EVENT_BUS", "lapor-staging"),
            ("LAPOR_CREATE_RESOURCES", "1"),
        ];
        assert_eq!(
            config(&named).unwrap().backend,
            Backend::Aws(AwsResources {
                table: "lapor-staging".into(),
                bucket: "lapor-staging-attachments".into(),
                queue: Queue::Url("https://sqs.ap-southeast-3.amazonaws.com/1/q".into()),
                event_bus: "lapor-staging".into(),
                create_resources: true
            })
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
        assert_eq!(config(&[]).unwrap().jwt_previous_secret, None);
        assert_eq!(
            config(&[("LAPOR_JWT_PREVIOUS_SECRET", &long)])
                .unwrap()
                .jwt_previous_secret,
            Some(long.into_bytes())
        );
        assert!(config(&[("LAPOR_JWT_PREVIOUS_SECRET", "pendek")]).is_err());
    }

    #[test]
    fn webhook_channels_are_checked_at_start() {
        let channels = r#"[{"name": "sms", "url": "https://sms.example.id/kirim", "secret": "rahasia-gerbang-sms"}]"#;
        let given = config(&[("LAPOR_WEBHOOKS", channels)]).unwrap();
        assert_eq!(given.webhooks[0].name, "sms");
        assert!(config(&[]).unwrap().webhooks.is_empty());
        for bad in [
            "bukan json",
            r#"[{"name": "sms", "url": "ftp://x", "secret": "rahasia-gerbang-sms"}]"#,
            r#"[{"name": "sms", "url": "http://sms.example.id/kirim", "secret": "rahasia-gerbang-sms"}]"#,
            r#"[{"name": "sms", "url": "https://x", "secret": "pendek"}]"#,
            r#"[{"name": "a", "url": "https://x", "secret": "rahasia-gerbang-sms"}, {"name": "a", "url": "https://y", "secret": "rahasia-gerbang-sms"}]"#,
        ] {
            assert!(config(&[("LAPOR_WEBHOOKS", bad)]).is_err(), "{bad}");
        }
    }

    /// Found by the fuzz target `config`: a URL that only began like one to this machine, and
    /// one no client can read, were taken.
    #[test]
    fn a_webhook_in_the_clear_goes_to_this_machine_only() {
        let channel = |url: &str| {
            let json =
                format!(r#"[{{"name": "sms", "url": "{url}", "secret": "rahasia-gerbang-sms"}}]"#);
            config(&[("LAPOR_WEBHOOKS", &json)]).map(|c| c.webhooks[0].url.clone())
        };
        for local in [
            "http://localhost:8080/kirim",
            "http://localhost/kirim",
            "http://127.0.0.1:9000/",
            "http://[::1]:9000/kirim",
            "https://sms.example.id/kirim",
        ] {
            assert_eq!(channel(local).unwrap(), local);
        }
        for elsewhere in [
            // The user `localhost` (password `4040oki...`) at another host.
            "http://localhost:4040okiLLAPOR_BA@CKEND7Prim",
            "http://localhost:@sms.example.id/kirim",
            "http://127.0.0.1:80@sms.example.id/",
            "http://[::1]@sms.example.id/",
            "http://[::1].sms.example.id/",
            // Not a URL: the port is not a number.
            "http://localhost:808]/kirim",
            "https://",
        ] {
            assert!(channel(elsewhere).is_err(), "{elsewhere}");
        }
    }

    #[test]
    fn connection_limits_have_defaults_and_refuse_nonsense() {
        let limits = config(&[]).unwrap().connections;
        assert_eq!(limits.header_timeout, Duration::from_secs(10));
        assert_eq!(limits.body_timeout, Duration::from_secs(30));
        assert_eq!(limits.max_connections, 1024);
        let set = config(&[
            ("LAPOR_HEADER_TIMEOUT", "2"),
            ("LAPOR_BODY_TIMEOUT", "5"),
            ("LAPOR_MAX_CONNECTIONS", "16"),
        ])
        .unwrap()
        .connections;
        assert_eq!(
            (set.header_timeout, set.body_timeout, set.max_connections),
            (Duration::from_secs(2), Duration::from_secs(5), 16)
        );
        for bad in ["0", "-1", "soon"] {
            assert!(config(&[("LAPOR_MAX_CONNECTIONS", bad)]).is_err());
            assert!(config(&[("LAPOR_HEADER_TIMEOUT", bad)]).is_err());
        }
    }

    #[test]
    fn a_server_beyond_loopback_names_its_public_address() {
        assert!(config(&[("LAPOR_ADDR", "127.0.0.1:3000")]).is_ok());
        assert!(config(&[("LAPOR_ADDR", "[::1]:3000")]).is_ok());
        assert!(config(&[("LAPOR_ADDR", "0.0.0.0:3000")]).is_err());
        let public = config(&[
            ("LAPOR_ADDR", "0.0.0.0:3000"),
            ("LAPOR_PUBLIC_URL", "https://lapor.example.go.id/"),
        ])
        .unwrap();
        assert_eq!(
            public.public_url.as_deref(),
            Some("https://lapor.example.go.id")
        );
        // On DynamoDB the URLs are S3's, whatever the address.
        assert!(config(&[("LAPOR_ADDR", "0.0.0.0:3000"), ("LAPOR_BACKEND", "aws")]).is_ok());
    }

    #[test]
    fn trusted_proxies_are_addresses() {
        assert!(config(&[]).unwrap().trusted_proxies.is_empty());
        let given = config(&[("LAPOR_TRUSTED_PROXIES", "10.0.0.2, ::1")]).unwrap();
        assert_eq!(
            given.trusted_proxies,
            [
                "10.0.0.2".parse::<IpAddr>().unwrap(),
                "::1".parse().unwrap()
            ]
        );
        assert!(config(&[("LAPOR_TRUSTED_PROXIES", "proxy.local")]).is_err());
    }

    #[test]
    fn cors_origins_are_origins() {
        assert!(config(&[]).unwrap().cors_origins.is_empty());
        let listed = config(&[(
            "LAPOR_CORS_ORIGINS",
            "https://lapor.example.go.id, http://localhost:5173",
        )])
        .unwrap();
        assert_eq!(
            listed.cors_origins,
            ["https://lapor.example.go.id", "http://localhost:5173"]
        );
        for bad in ["*", "lapor.example.go.id", "https://x.id/path", "https://"] {
            assert!(config(&[("LAPOR_CORS_ORIGINS", bad)]).is_err(), "{bad}");
        }
    }
}
