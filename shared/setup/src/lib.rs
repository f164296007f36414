//! Builds lapor from its configuration: the stores of the chosen backend, the use cases and the
//! token keys. `lapor-local` and every Lambda function start the same way, through [`build`];
//! the scheduled jobs through [`build_app`].

pub mod config;
pub mod dev;
pub mod secret;
pub mod webhooks;

use std::sync::Arc;

use lapor_app::notifications::{Delivery, NoWebhooks, Webhooks};
use lapor_app::{App, BlobStore, EventBus, RandomIds, Store, SystemClock};
use lapor_aws::{Dynamo, EventBridgeBus, S3Blobs, SqsQueue};
use lapor_domain::Calendar;
use lapor_http::{AppState, Tokens};

pub use config::{Backend, Config, Queue, SecretSource, WebhookChannel};

/// Builds the app on the configured backend.
pub async fn build(config: &Config) -> anyhow::Result<AppState> {
    match &config.backend {
        Backend::Embedded => {
            build_on(config, embedded_store(config)?, Parts::embedded(config)?).await
        }
        Backend::Aws { .. } => {
            let (store, parts) = aws_parts(config).await?;
            build_on(config, store, parts).await
        }
    }
}

/// The use cases alone, on the configured backend: what the scheduled jobs need. No token
/// secret is read (a job signs nothing) and no account is made.
pub async fn build_app(config: &Config) -> anyhow::Result<App> {
    match &config.backend {
        Backend::Embedded => app_on(config, embedded_store(config)?, Parts::embedded(config)?),
        Backend::Aws { .. } => {
            let (store, parts) = aws_parts(config).await?;
            app_on(config, store, parts)
        }
    }
}

/// The standard AWS environment (`AWS_REGION`, `AWS_ENDPOINT_URL`, credentials), read once per
/// process: every SDK client built from it shares one credentials chain and one HTTPS client,
/// which a cold start then sets up once.
pub async fn aws_environment() -> &'static aws_config::SdkConfig {
    static ENVIRONMENT: tokio::sync::OnceCell<aws_config::SdkConfig> =
        tokio::sync::OnceCell::const_new();
    ENVIRONMENT
        .get_or_init(|| aws_config::defaults(aws_config::BehaviorVersion::latest()).load())
        .await
}

/// The table, bucket, queue and bus, created first when asked (emulators, first runs).
async fn aws_parts(config: &Config) -> anyhow::Result<(Arc<Dynamo>, Parts)> {
    let Backend::Aws {
        table,
        bucket,
        queue,
        event_bus,
        create_resources,
    } = &config.backend
    else {
        anyhow::bail!("not the AWS backend");
    };
    let environment = aws_environment().await;
    let store = Dynamo::from_config(environment, table);
    let blobs = S3Blobs::from_config(environment, bucket);
    let bus = EventBridgeBus::from_config(environment, event_bus);
    if *create_resources {
        store.create_table_if_missing().await?;
        blobs.create_bucket_if_missing().await?;
        bus.create_if_missing().await?;
    }
    let queue = match queue {
        Queue::Url(url) => SqsQueue::from_config(environment, url),
        Queue::Name(name) => SqsQueue::named(environment, name, *create_resources).await?,
    };
    let parts = Parts {
        blobs: Blobs::Store(Arc::new(blobs)),
        delivery: Delivery::Queue(Arc::new(queue)),
        events: Arc::new(bus),
    };
    Ok((Arc::new(store), parts))
}

/// What the app needs beside its store.
pub struct Parts {
    /// Where attachment blobs are kept.
    pub blobs: Blobs,
    /// How the outbox relay reaches the notifier.
    pub delivery: Delivery,
    /// Where integration events go.
    pub events: Arc<dyn EventBus>,
}

impl Parts {
    /// On a single machine: blobs in the data directory, notifications delivered by the relay
    /// itself, integration events appended to a file there.
    #[cfg(feature = "embedded")]
    pub fn embedded(config: &Config) -> anyhow::Result<Self> {
        Ok(Self {
            blobs: Blobs::Folder,
            delivery: Delivery::Inline(Arc::new(tokio::sync::Notify::new())),
            events: Arc::new(lapor_embedded::FileEventBus::new(&config.data_dir)),
        })
    }

    #[cfg(not(feature = "embedded"))]
    fn embedded(_: &Config) -> anyhow::Result<Self> {
        anyhow::bail!("this build has no embedded backend: set LAPOR_BACKEND=aws")
    }
}

/// The configured webhook channels.
fn webhooks(config: &Config) -> anyhow::Result<Arc<dyn Webhooks>> {
    if config.webhooks.is_empty() {
        return Ok(Arc::new(NoWebhooks));
    }
    Ok(Arc::new(webhooks::HttpWebhooks::new(
        config.webhooks.clone(),
    )?))
}

/// The SQLite file of the data directory.
#[cfg(feature = "embedded")]
fn embedded_store(config: &Config) -> anyhow::Result<Arc<lapor_embedded::Embedded>> {
    use anyhow::Context as _;
    let store = lapor_embedded::Embedded::open(&config.data_dir).with_context(|| {
        format!(
            "cannot open the data directory {}",
            config.data_dir.display()
        )
    })?;
    Ok(Arc::new(store))
}

#[cfg(not(feature = "embedded"))]
fn embedded_store(_: &Config) -> anyhow::Result<Arc<Dynamo>> {
    anyhow::bail!("this build has no embedded backend: set LAPOR_BACKEND=aws")
}

/// Where attachment blobs are kept.
pub enum Blobs {
    /// In the data directory, their URLs served and signed by this API (the embedded backend).
    Folder,
    /// In this store (S3).
    Store(Arc<dyn BlobStore>),
}

impl Blobs {
    fn open(self, config: &Config) -> anyhow::Result<Arc<dyn BlobStore>> {
        match self {
            Blobs::Folder => blob_folder(config),
            Blobs::Store(store) => Ok(store),
        }
    }
}

/// The folder of blobs in the data directory, its URLs signed with a key kept beside it.
#[cfg(feature = "embedded")]
fn blob_folder(config: &Config) -> anyhow::Result<Arc<dyn BlobStore>> {
    use anyhow::Context as _;
    let key = secret::load_or_create_file(&config.data_dir, secret::BLOB_KEY_FILE)?;
    let folder = lapor_embedded::FolderBlobs::open(&config.data_dir, &key)
        .with_context(|| format!("cannot use {} for attachments", config.data_dir.display()))?;
    Ok(Arc::new(folder))
}

#[cfg(not(feature = "embedded"))]
fn blob_folder(_: &Config) -> anyhow::Result<Arc<dyn BlobStore>> {
    anyhow::bail!("this build keeps no attachments in a folder: set LAPOR_BACKEND=aws")
}

/// The working-day calendar: the operators' file when one is configured, else the built-in one.
/// A file that cannot be read stops the start: deadlines must not silently fall back to
/// another calendar.
pub fn calendar(config: &Config) -> anyhow::Result<Calendar> {
    use anyhow::Context as _;
    let Some(path) = &config.calendar_file else {
        return Ok(Calendar::indonesia());
    };
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("cannot read LAPOR_CALENDAR_FILE {}", path.display()))?;
    let calendar = Calendar::from_json(&text)
        .map_err(|e| anyhow::anyhow!("LAPOR_CALENDAR_FILE {}: {e}", path.display()))?;
    tracing::info!(
        file = %path.display(),
        days_off = calendar.days_off(),
        "using the operators' holiday calendar"
    );
    Ok(calendar)
}

/// The use cases on `store` with `parts`.
fn app_on<S: Store>(config: &Config, store: Arc<S>, parts: Parts) -> anyhow::Result<App> {
    Ok(App {
        reports: store.clone(),
        accounts: store.clone(),
        agencies: store.clone(),
        throttle: store.clone(),
        attachments: store.clone(),
        notifications: store,
        blobs: parts.blobs.open(config)?,
        delivery: parts.delivery,
        events: parts.events,
        webhooks: webhooks(config)?,
        clock: Arc::new(SystemClock),
        ids: Arc::new(RandomIds),
        calendar: Arc::new(calendar(config)?),
    })
}

/// Builds the app on `store` with `parts`.
pub async fn build_on<S: Store>(
    config: &Config,
    store: Arc<S>,
    parts: Parts,
) -> anyhow::Result<AppState> {
    let secret = secret::load(&config.jwt_secret, &config.data_dir).await?;
    let app = app_on(config, store, parts)?;
    if let Some((email, password)) = &config.bootstrap_admin
        && app.bootstrap_admin(email.clone(), password.clone()).await?
    {
        tracing::info!(
            email = email.as_str(),
            "created the bootstrap national admin"
        );
    }
    if config.dev_seed && dev::seed(&app).await? {
        tracing::warn!("seeded the development agencies and accounts (public passwords)");
    }
    Ok(AppState {
        app,
        tokens: Arc::new(Tokens::new(&secret)),
        public_url: config.public_url.clone(),
    })
}
#[cfg(test)]
mod tests {
    use super::*;

    fn with_calendar_file(path: &std::path::Path) -> Config {
        let path = path.display().to_string();
        Config::from_lookup(|name| (name == "LAPOR_CALENDAR_FILE").then(|| path.clone())).unwrap()
    }

    #[test]
    fn an_operators_calendar_file_replaces_the_built_in_one() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("hari-libur.json");
        std::fs::write(
            &path,
            r#"{"days": [{"date": "2026-11-24", "kind": "holiday", "name": "Libur tambahan"}]}"#,
        )
        .unwrap();
        let date = |m, d| time::Date::from_calendar_date(2026, m, d).unwrap();
        let built_in = calendar(&Config::from_lookup(|_| None).unwrap()).unwrap();
        assert!(built_in.is_working_day(date(time::Month::November, 24)));
        assert!(!built_in.is_working_day(date(time::Month::March, 20)));

        let file = calendar(&with_calendar_file(&path)).unwrap();
        assert!(!file.is_working_day(date(time::Month::November, 24)));
        assert!(
            file.is_working_day(date(time::Month::March, 20)),
            "only the file's days are off"
        );

        std::fs::write(&path, "{ rusak").unwrap();
        assert!(calendar(&with_calendar_file(&path)).is_err());
        assert!(calendar(&with_calendar_file(&dir.path().join("tidak-ada.json"))).is_err());
    }
}
