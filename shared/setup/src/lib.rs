//! Builds lapor from its configuration: the stores of the chosen backend, the use cases and the
//! token keys. `lapor-local` and every Lambda function start the same way, through [`build`];
//! the scheduled jobs through [`build_app`].

pub mod config;
pub mod dev;
pub mod secret;

use std::sync::Arc;

use lapor_app::{
    AccountStore, AgencyStore, App, AttachmentStore, BlobStore, RandomIds, ReportStore,
    SystemClock, ThrottleStore,
};
use lapor_aws::{Dynamo, S3Blobs};
use lapor_domain::Calendar;
use lapor_http::{AppState, Tokens};

pub use config::{Backend, Config, SecretSource};

/// Builds the app on the configured backend.
pub async fn build(config: &Config) -> anyhow::Result<AppState> {
    match &config.backend {
        Backend::Embedded => build_on(config, embedded_store(config)?, Blobs::Folder).await,
        Backend::Aws {
            table,
            bucket,
            create_resources,
        } => {
            let (store, blobs) = aws_stores(table, bucket, *create_resources).await?;
            build_on(config, store, Blobs::Store(blobs)).await
        }
    }
}

/// The use cases alone, on the configured backend: what the scheduled jobs need. No token
/// secret is read (a job signs nothing) and no account is made.
pub async fn build_app(config: &Config) -> anyhow::Result<App> {
    match &config.backend {
        Backend::Embedded => app_on(config, embedded_store(config)?, Blobs::Folder),
        Backend::Aws {
            table,
            bucket,
            create_resources,
        } => {
            let (store, blobs) = aws_stores(table, bucket, *create_resources).await?;
            app_on(config, store, Blobs::Store(blobs))
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

/// The table and the bucket, created first when asked (emulators, first runs).
async fn aws_stores(
    table: &str,
    bucket: &str,
    create_resources: bool,
) -> anyhow::Result<(Arc<Dynamo>, Arc<dyn BlobStore>)> {
    let environment = aws_environment().await;
    let store = Dynamo::from_config(environment, table);
    let blobs = S3Blobs::from_config(environment, bucket);
    if create_resources {
        store.create_table_if_missing().await?;
        blobs.create_bucket_if_missing().await?;
    }
    Ok((Arc::new(store), Arc::new(blobs)))
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

/// The use cases on `store`, which holds every kind of record, with `blobs` for attachments.
fn app_on<S>(config: &Config, store: Arc<S>, blobs: Blobs) -> anyhow::Result<App>
where
    S: ReportStore + AccountStore + AgencyStore + ThrottleStore + AttachmentStore + 'static,
{
    Ok(App {
        reports: store.clone(),
        accounts: store.clone(),
        agencies: store.clone(),
        throttle: store.clone(),
        attachments: store,
        blobs: blobs.open(config)?,
        clock: Arc::new(SystemClock),
        ids: Arc::new(RandomIds),
        calendar: Arc::new(calendar(config)?),
    })
}

/// Builds the app on `store`, which holds every kind of record, with `blobs` for attachments.
pub async fn build_on<S>(config: &Config, store: Arc<S>, blobs: Blobs) -> anyhow::Result<AppState>
where
    S: ReportStore + AccountStore + AgencyStore + ThrottleStore + AttachmentStore + 'static,
{
    let secret = secret::load(&config.jwt_secret, &config.data_dir).await?;
    let app = app_on(config, store, blobs)?;
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
